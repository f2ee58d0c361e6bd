/**
 * Ordinary software of a Windows estate: the background that RMM hits stand out from. None of these
 * names or domains may match an RMM hunt (the generator test checks that only planted devices hit).
 */
export interface BackgroundProgram {
  company: string;
  product: string;
  description: string;
  fileName: string;
  folder: string;
  signer: string;
  issuer: string;
  /** Hosts it talks to; empty for programs that make no connections of note. */
  domains: string[];
  /** Usual parent process. */
  parent: string;
  /** Relative frequency among process and network events. */
  weight: number;
  /** Runs as SYSTEM rather than as the signed-in user. */
  system?: boolean;
}

const MS_PCA = 'Microsoft Code Signing PCA 2011';
const WIN_PCA = 'Microsoft Windows Production PCA 2011';
const DIGICERT = 'DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1';
const SECTIGO = 'Sectigo Public Code Signing CA R36';

export const BACKGROUND_PROGRAMS: readonly BackgroundProgram[] = [
  { company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', description: 'Host Process for Windows Services', fileName: 'svchost.exe', folder: 'C:\\Windows\\System32\\', signer: 'Microsoft Windows', issuer: WIN_PCA, domains: ['settings-win.data.microsoft.com', 'ctldl.windowsupdate.com', 'login.live.com'], parent: 'services.exe', weight: 12, system: true },
  { company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', description: 'Windows PowerShell', fileName: 'powershell.exe', folder: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\', signer: 'Microsoft Windows', issuer: WIN_PCA, domains: ['www.powershellgallery.com'], parent: 'explorer.exe', weight: 3 },
  { company: 'Microsoft Corporation', product: 'Microsoft® Windows® Operating System', description: 'Windows Command Processor', fileName: 'cmd.exe', folder: 'C:\\Windows\\System32\\', signer: 'Microsoft Windows', issuer: WIN_PCA, domains: [], parent: 'explorer.exe', weight: 3 },
  { company: 'Microsoft Corporation', product: 'Microsoft Edge', description: 'Microsoft Edge', fileName: 'msedge.exe', folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\', signer: 'Microsoft Corporation', issuer: MS_PCA, domains: ['www.bing.com', 'edge.microsoft.com', 'www.msn.com', 'login.microsoftonline.com'], parent: 'explorer.exe', weight: 10 },
  { company: 'Microsoft Corporation', product: 'Microsoft Teams', description: 'Microsoft Teams', fileName: 'ms-teams.exe', folder: 'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\', signer: 'Microsoft Corporation', issuer: MS_PCA, domains: ['teams.microsoft.com', 'statics.teams.cdn.office.net', 'presence.teams.microsoft.com'], parent: 'explorer.exe', weight: 8 },
  { company: 'Microsoft Corporation', product: 'Microsoft Outlook', description: 'Microsoft Outlook', fileName: 'OUTLOOK.EXE', folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\', signer: 'Microsoft Corporation', issuer: MS_PCA, domains: ['outlook.office365.com', 'outlook.office.com'], parent: 'explorer.exe', weight: 6 },
  { company: 'Microsoft Corporation', product: 'Microsoft OneDrive', description: 'Microsoft OneDrive', fileName: 'OneDrive.exe', folder: 'C:\\Program Files\\Microsoft OneDrive\\', signer: 'Microsoft Corporation', issuer: MS_PCA, domains: ['onedrive.live.com', 'contoso-my.sharepoint.com'], parent: 'explorer.exe', weight: 4 },
  { company: 'Microsoft Corporation', product: 'Microsoft Defender Antivirus', description: 'Antimalware Service Executable', fileName: 'MsMpEng.exe', folder: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\', signer: 'Microsoft Corporation', issuer: MS_PCA, domains: ['wdcp.microsoft.com', 'go.microsoft.com'], parent: 'services.exe', weight: 4, system: true },
  { company: 'Google LLC', product: 'Google Chrome', description: 'Google Chrome', fileName: 'chrome.exe', folder: 'C:\\Program Files\\Google\\Chrome\\Application\\', signer: 'Google LLC', issuer: DIGICERT, domains: ['www.google.com', 'update.googleapis.com', 'accounts.google.com', 'clients2.google.com'], parent: 'explorer.exe', weight: 9 },
  { company: 'Adobe Inc.', product: 'Adobe Acrobat Reader', description: 'Adobe Acrobat Reader', fileName: 'Acrobat.exe', folder: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\', signer: 'Adobe Inc.', issuer: DIGICERT, domains: ['acroipm2.adobe.com', 'ims-na1.adobelogin.com'], parent: 'explorer.exe', weight: 3 },
  { company: 'Mozilla Corporation', product: 'Firefox', description: 'Firefox', fileName: 'firefox.exe', folder: 'C:\\Program Files\\Mozilla Firefox\\', signer: 'Mozilla Corporation', issuer: DIGICERT, domains: ['detectportal.firefox.com', 'incoming.telemetry.mozilla.org'], parent: 'explorer.exe', weight: 2 },
  { company: 'Zoom Video Communications, Inc.', product: 'Zoom', description: 'Zoom Meetings', fileName: 'Zoom.exe', folder: 'C:\\Users\\Public\\AppData\\Roaming\\Zoom\\bin\\', signer: 'Zoom Video Communications, Inc.', issuer: DIGICERT, domains: ['zoom.us', 'us05web.zoom.us'], parent: 'explorer.exe', weight: 3 },
  { company: 'Slack Technologies, LLC', product: 'Slack', description: 'Slack', fileName: 'slack.exe', folder: 'C:\\Program Files\\Slack\\', signer: 'Slack Technologies, LLC', issuer: DIGICERT, domains: ['slack.com', 'edgeapi.slack.com'], parent: 'explorer.exe', weight: 2 },
  { company: 'Cisco Systems, Inc.', product: 'Cisco Secure Client', description: 'Cisco Secure Client VPN Agent', fileName: 'vpnagent.exe', folder: 'C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\', signer: 'Cisco Systems, Inc.', issuer: DIGICERT, domains: ['vpn.contoso.com'], parent: 'services.exe', weight: 2, system: true },
  { company: 'Dropbox, Inc.', product: 'Dropbox', description: 'Dropbox', fileName: 'Dropbox.exe', folder: 'C:\\Program Files (x86)\\Dropbox\\Client\\', signer: 'Dropbox, Inc', issuer: DIGICERT, domains: ['client.dropbox.com', 'bolt.dropbox.com'], parent: 'explorer.exe', weight: 1 },
  { company: 'Notepad++', product: 'Notepad++', description: 'Notepad++', fileName: 'notepad++.exe', folder: 'C:\\Program Files\\Notepad++\\', signer: 'Notepad++', issuer: SECTIGO, domains: ['notepad-plus-plus.org'], parent: 'explorer.exe', weight: 1 },
  { company: 'Python Software Foundation', product: 'Python', description: 'Python', fileName: 'python.exe', folder: 'C:\\Program Files\\Python312\\', signer: 'Python Software Foundation', issuer: DIGICERT, domains: ['pypi.org', 'files.pythonhosted.org'], parent: 'cmd.exe', weight: 1 },
  { company: 'Oracle Corporation', product: 'Java(TM) Platform SE 8', description: 'Java(TM) Platform SE binary', fileName: 'java.exe', folder: 'C:\\Program Files\\Java\\jre-1.8\\bin\\', signer: 'Oracle America, Inc.', issuer: DIGICERT, domains: ['javadl-esd-secure.oracle.com'], parent: 'explorer.exe', weight: 1 },
  { company: 'NVIDIA Corporation', product: 'NVIDIA Container', description: 'NVIDIA Container', fileName: 'NVDisplay.Container.exe', folder: 'C:\\Windows\\System32\\DriverStore\\FileRepository\\nv_dispi.inf_amd64\\Display.NvContainer\\', signer: 'NVIDIA Corporation', issuer: DIGICERT, domains: ['gfwsl.geforce.com'], parent: 'services.exe', weight: 1, system: true },
  { company: 'Dell Inc', product: 'Dell SupportAssist', description: 'Dell SupportAssist Agent', fileName: 'SupportAssistAgent.exe', folder: 'C:\\Program Files\\Dell\\SupportAssistAgent\\bin\\', signer: 'Dell Inc', issuer: DIGICERT, domains: ['downloads.dell.com'], parent: 'services.exe', weight: 1, system: true },
  { company: 'Docker Inc.', product: 'Docker Desktop', description: 'Docker Desktop Backend', fileName: 'com.docker.backend.exe', folder: 'C:\\Program Files\\Docker\\Docker\\resources\\', signer: 'Docker Inc', issuer: DIGICERT, domains: ['registry-1.docker.io', 'desktop.docker.com'], parent: 'explorer.exe', weight: 1 },
  { company: 'JetBrains s.r.o.', product: 'IntelliJ IDEA', description: 'IntelliJ IDEA', fileName: 'idea64.exe', folder: 'C:\\Program Files\\JetBrains\\IntelliJ IDEA 2024.3\\bin\\', signer: 'JetBrains s.r.o.', issuer: DIGICERT, domains: ['plugins.jetbrains.com', 'account.jetbrains.com'], parent: 'explorer.exe', weight: 1 },
  { company: 'The Git Development Community', product: 'Git', description: 'Git for Windows', fileName: 'git.exe', folder: 'C:\\Program Files\\Git\\cmd\\', signer: 'Johannes Schindelin', issuer: SECTIGO, domains: ['github.com', 'api.github.com'], parent: 'cmd.exe', weight: 2 },
  { company: 'VMware, Inc.', product: 'VMware Tools', description: 'VMware Tools Core Service', fileName: 'vmtoolsd.exe', folder: 'C:\\Program Files\\VMware\\VMware Tools\\', signer: 'VMware, Inc.', issuer: DIGICERT, domains: [], parent: 'services.exe', weight: 1, system: true },
];
