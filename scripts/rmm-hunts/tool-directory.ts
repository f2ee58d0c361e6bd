/**
 * Authoring data for the RMM hunt generator that the indicator table does not hold: the command word,
 * display name and aliases of each tool, why some tools have no hunt, and the predicate combinations
 * that are not a plain AND (from the table's notes and hunting-content-facts §1.5).
 */

export interface ToolEntry {
  /** Command word: `hunt rmm <tool>`. */
  tool: string;
  toolName: string;
  aliases?: string[];
}

/** Keyed by the indicator table's tool name. */
export const TOOL_DIRECTORY: Readonly<Record<string, ToolEntry>> = {
  Action1: { tool: 'action1', toolName: 'Action1' },
  Addigy: { tool: 'addigy', toolName: 'Addigy' },
  AeroAdmin: { tool: 'aeroadmin', toolName: 'AeroAdmin', aliases: ['aero-admin'] },
  Alpemix: { tool: 'alpemix', toolName: 'Alpemix' },
  Ammyy: { tool: 'ammyy', toolName: 'Ammyy Admin', aliases: ['ammyyadmin', 'ammyy-admin'] },
  AnyDesk: { tool: 'anydesk', toolName: 'AnyDesk' },
  AnyplaceControl: { tool: 'anyplacecontrol', toolName: 'Anyplace Control', aliases: ['anyplace'] },
  AnyViewer: { tool: 'anyviewer', toolName: 'AnyViewer', aliases: ['aomei'] },
  Atera: { tool: 'atera', toolName: 'Atera' },
  Auvik: { tool: 'auvik', toolName: 'Auvik' },
  AweSun: { tool: 'awesun', toolName: 'AweSun', aliases: ['aweray'] },
  BarracudaRMM: { tool: 'barracudarmm', toolName: 'Barracuda RMM', aliases: ['barracuda'] },
  BeamYourScreen: { tool: 'beamyourscreen', toolName: 'BeamYourScreen', aliases: ['mikogo'] },
  BeAnywhere: { tool: 'beanywhere', toolName: 'BeAnywhere' },
  BeyondTrust: { tool: 'beyondtrust', toolName: 'BeyondTrust Remote Support', aliases: ['bomgar'] },
  'BlueTrait.io': { tool: 'bluetrait', toolName: 'BlueTrait.io', aliases: ['bluetrait.io'] },
  ChromeRDP: { tool: 'chromerdp', toolName: 'Chrome Remote Desktop', aliases: ['chrome-remote-desktop', 'crd'] },
  ConnectWise: {
    tool: 'connectwise',
    toolName: 'ConnectWise Control',
    aliases: ['screenconnect', 'connectwise-control', 'cwcontrol', 'continuum'],
  },
  CrossLoop: { tool: 'crossloop', toolName: 'CrossLoop' },
  CrossTec: { tool: 'crosstec', toolName: 'CrossTec Remote Control' },
  DameWare: { tool: 'dameware', toolName: 'DameWare' },
  DattoRMM: { tool: 'dattormm', toolName: 'Datto RMM', aliases: ['datto', 'centrastage'] },
  DeskDay: { tool: 'deskday', toolName: 'DeskDay' },
  DesktopNow: { tool: 'desktopnow', toolName: 'DesktopNow', aliases: ['nch'] },
  DistantDesktop: { tool: 'distantdesktop', toolName: 'Distant Desktop' },
  DWService: { tool: 'dwservice', toolName: 'DWService' },
  EHorus: { tool: 'ehorus', toolName: 'eHorus' },
  ElectricAI: { tool: 'electricai', toolName: 'Electric AI', aliases: ['electric'] },
  FleetDeck: { tool: 'fleetdeck', toolName: 'FleetDeck' },
  GetScreen: { tool: 'getscreen', toolName: 'Getscreen.me', aliases: ['getscreen.me'] },
  IperiusRemote: { tool: 'iperiusremote', toolName: 'Iperius Remote', aliases: ['iperius'] },
  ISLOnline: { tool: 'islonline', toolName: 'ISL Online', aliases: ['isl', 'isllight'] },
  Itarian: { tool: 'itarian', toolName: 'Itarian', aliases: ['comodo'] },
  JumpCloud: { tool: 'jumpcloud', toolName: 'JumpCloud' },
  Kaseya: { tool: 'kaseya', toolName: 'Kaseya VSA', aliases: ['vsa'] },
  Level: { tool: 'level', toolName: 'Level', aliases: ['level.io'] },
  LiteManager: { tool: 'litemanager', toolName: 'LiteManager' },
  LogMeIn: { tool: 'logmein', toolName: 'LogMeIn', aliases: ['goto', 'gotoassist', 'logmeinrescue'] },
  MeshCentral: { tool: 'meshcentral', toolName: 'MeshCentral', aliases: ['mesh'] },
  mRemoteNG: { tool: 'mremoteng', toolName: 'mRemoteNG' },
  MSP360_CloudBerry: { tool: 'msp360', toolName: 'MSP360 (CloudBerry)', aliases: ['cloudberry', 'msp360_cloudberry'] },
  NAble: { tool: 'nable', toolName: 'N-able', aliases: ['n-able', 'solarwinds-msp', 'logicnow'] },
  Naverisk: { tool: 'naverisk', toolName: 'Naverisk' },
  NetSupport: { tool: 'netsupport', toolName: 'NetSupport Manager' },
  NinjaRMM: { tool: 'ninjarmm', toolName: 'NinjaOne (NinjaRMM)', aliases: ['ninja', 'ninjaone'] },
  OptiTune: { tool: 'optitune', toolName: 'OptiTune' },
  Panorama9: { tool: 'panorama9', toolName: 'Panorama9' },
  'parsec.app': { tool: 'parsec', toolName: 'Parsec', aliases: ['parsec.app'] },
  PcVisit: { tool: 'pcvisit', toolName: 'pcvisit' },
  PDQ: { tool: 'pdq', toolName: 'PDQ Connect', aliases: ['pdqconnect'] },
  Pulseway: { tool: 'pulseway', toolName: 'Pulseway' },
  RAdmin: { tool: 'radmin', toolName: 'Radmin' },
  RealVNC: { tool: 'realvnc', toolName: 'RealVNC', aliases: ['vnc'] },
  RemoteDesktopPlus: { tool: 'remotedesktopplus', toolName: 'Remote Desktop Plus', aliases: ['rdplus'] },
  RemotePC: { tool: 'remotepc', toolName: 'RemotePC' },
  RemoteUtilities: { tool: 'remoteutilities', toolName: 'Remote Utilities' },
  RPort: { tool: 'rport', toolName: 'RPort' },
  RustDesk: { tool: 'rustdesk', toolName: 'RustDesk' },
  ScreenMeet: { tool: 'screenmeet', toolName: 'ScreenMeet' },
  ServerEye: { tool: 'servereye', toolName: 'Server-Eye', aliases: ['server-eye'] },
  ShowMyPC: { tool: 'showmypc', toolName: 'ShowMyPC' },
  SimpleHelp: { tool: 'simplehelp', toolName: 'SimpleHelp' },
  Splashtop: { tool: 'splashtop', toolName: 'Splashtop' },
  SupRemo: { tool: 'supremo', toolName: 'SupRemo' },
  SyncroMSP: { tool: 'syncro', toolName: 'Syncro', aliases: ['syncromsp'] },
  Syspectr: { tool: 'syspectr', toolName: 'Syspectr' },
  TacticalRMM: { tool: 'tacticalrmm', toolName: 'Tactical RMM', aliases: ['tactical'] },
  TeamViewer: { tool: 'teamviewer', toolName: 'TeamViewer' },
  TechInline: { tool: 'techinline', toolName: 'TechInline FixMe.IT', aliases: ['fixme', 'fixme.it'] },
  TigerVNC: { tool: 'tigervnc', toolName: 'TigerVNC', aliases: ['vnc'] },
  TightVNC: { tool: 'tightvnc', toolName: 'TightVNC', aliases: ['vnc'] },
  TSPlus: { tool: 'tsplus', toolName: 'TSplus Remote Support' },
  UltraViewer: { tool: 'ultraviewer', toolName: 'UltraViewer' },
  Xeox: { tool: 'xeox', toolName: 'Xeox' },
  XMReality: { tool: 'xmreality', toolName: 'XMReality' },
  ZohoAssist: { tool: 'zohoassist', toolName: 'Zoho Assist', aliases: ['zoho'] },
};

/** The all-tools network hunt: `hunt rmm any`. */
export const ALL_TOOLS_ENTRY: ToolEntry = { tool: 'any', toolName: 'Any RMM tool', aliases: ['all-tools'] };

/**
 * Why the upstream content has no queries for these tools ("Intentionally blank", hunting-content-facts
 * §1.4), and which tools' hunts cover them instead.
 */
export const NO_HUNT_TOOLS: Readonly<Record<string, { reason: string; seeAlso: string[] }>> = {
  Auvik: { reason: 'it manages devices through ConnectWise Manage, so hunt for ConnectWise instead', seeAlso: ['connectwise'] },
  BeAnywhere: { reason: 'it is now N-able MSP Anywhere; the DameWare network hunt covers beanywhere.com', seeAlso: ['nable', 'dameware'] },
  'BlueTrait.io': { reason: 'it uses ConnectWise Control for remote access, so hunt for ConnectWise instead', seeAlso: ['connectwise'] },
  CrossLoop: { reason: 'the service shut down in 2014', seeAlso: [] },
  DeskDay: { reason: 'it works through N-able, Datto and ConnectWise agents, so hunt for those', seeAlso: ['nable', 'dattormm', 'connectwise'] },
  ElectricAI: { reason: 'it uses ConnectWise Control (ScreenConnect), so hunt for ConnectWise instead', seeAlso: ['connectwise'] },
};

/** Reasons for a missing signal kind, by the table's note text (and one per-tool override). */
export const MISSING_KIND_REASONS: Readonly<Record<string, string>> = {
  'no query of this kind (no YAML, no AHQ section)': 'the public RMM hunting content has no indicators of this kind for it',
  'no query: empty code block': 'the public RMM hunting content left this query empty',
  'no query: Too broad for use': 'its signer is too broad to hunt on (the public RMM hunting content declined it)',
  'no query: TSPlus does not have consistent artifacts to be used for create process discovery':
    'TSplus has no consistent process artifacts to hunt on',
};
export const MISSING_KIND_OVERRIDES: Readonly<Record<string, string>> = {
  'EHorus/filesig': 'the eHorus agent is not signed',
};

/**
 * Predicates that do not combine with a plain AND, as expressions over the tool+kind's rows in table
 * order (`$0` is the first row). Each says why, for the generated file's comment.
 */
export const PREDICATE_COMBINATIONS: Readonly<Record<string, { expression: string; why: string }>> = {
  'DameWare/process': { expression: '$0 and ($1 or $2)', why: 'product OR file description names DameWare' },
  'DameWare/network': { expression: '$0 and $1 and ($2 or $3)', why: 'product OR file description names DameWare' },
  'DattoRMM/network': { expression: '$0 and ($1 or $2)', why: 'the agent may carry no company name' },
  'JumpCloud/process': {
    expression: '($0 or $3) and $1 and $2',
    why: 'company is JumpCloud or empty; the upstream text has an unbalanced parenthesis',
  },
  'JumpCloud/network': { expression: '$0 and ($1 or $2)', why: 'company is JumpCloud or empty' },
  'Panorama9/process': { expression: '$0 or $1', why: 'company OR product names Panorama9' },
  'PDQ/process': { expression: '$0 or $1', why: 'product OR file name identifies the PDQ Connect agent' },
  'TSPlus/network': { expression: '$0 and ($1 or $2)', why: 'the agent may carry no company name' },
  'Xeox/process': { expression: '$0 or $1 or $2', why: 'any of the company or product names' },
  'Xeox/filesig': { expression: '$0 or $1', why: 'either signer' },
  'Xeox/network': {
    expression: '$0 and ($1 or $2 or $3)',
    why: 'the upstream text mixes and/or without parentheses; the domain is now required for every match',
  },
};

/** Upstream defects fixed by the generator, noted in the generated file (hunting-content-facts §0). */
export const UPSTREAM_FIXES: Readonly<Record<string, string>> = {
  'BeamYourScreen/network': "the upstream text lacks a comma, so 'mikogo.com' 'mikogo4.com' became one string",
  'Level/process': "the upstream YAML has the invalid 'has_all has_any'; has_any as in its markdown",
  'DWService/process': "the upstream text uses 'Sha1' (the column is SHA1) with no where; rewritten as a two-step hash match",
  'DWService/network': "the upstream text uses 'Sha1' (the column is SHA1); rewritten as a two-step hash match",
};
