import { KqlDatabase, warmUpKql } from '../../src/kql';
import { runHuntOnData } from '../../src/hunt-tests/run-hunt-on-data';
import { DAY, NOW, catalogWithoutAnalysis, huntNamed, lastDays } from './hunt-fixtures';

/**
 * Hand-written cases for the rules that are easy to get wrong: term matching, the OR exceptions,
 * `isempty`, the two-step DWService hash match and the upstream defects fixed in the generated hunts.
 * Each device id says what the row holds; the expectation lists the devices that must be found.
 */

type Row = Record<string, unknown>;
const catalog = catalogWithoutAnalysis();
const AT = new Date(NOW.getTime() - DAY).toISOString();

function at(deviceId: string, fields: Row): Row {
  return { Timestamp: AT, TimeGenerated: AT, DeviceId: deviceId, DeviceName: deviceId, ReportId: 1, ...fields };
}

function hits(tool: string, kind: string, tables: Record<string, Row[]>): string[] {
  const { hits: found } = runHuntOnData(huntNamed(catalog, tool, kind), KqlDatabase.fromRows(tables), { window: lastDays(5), now: NOW });
  return found.map((hit) => hit.deviceId).sort();
}

beforeAll(async () => {
  await warmUpKql();
});

test('DesktopNow file signature: `has` matches the whole term NCH Software, in any case, and nothing close', () => {
  const signers = ['NCH Software Pty Ltd', 'nch software', 'NCHSoftware Inc', 'NCH Softwares', 'Branch Software', 'NCH_Software'];
  const rows = signers.map((signer) => at(signer, { Signer: signer }));
  expect(hits('desktopnow', 'filesig', { DeviceFileCertificateInfo: rows })).toEqual(['NCH Software Pty Ltd', 'nch software']);
});

test('a file signature outside the window is not found', () => {
  const old = { ...at('old', { Signer: 'NCH Software' }), Timestamp: new Date(NOW.getTime() - 6 * DAY).toISOString() };
  expect(hits('desktopnow', 'filesig', { DeviceFileCertificateInfo: [old] })).toEqual([]);
});

test('AnyDesk network: the domain as whole terms, and only from an AnyDesk process', () => {
  const rows = [
    at('subdomain', { RemoteUrl: 'relay-1.net.anydesk.com', InitiatingProcessVersionInfoProductName: 'AnyDesk' }),
    at('full-url', { RemoteUrl: 'https://boot.net.anydesk.com:443/x', InitiatingProcessVersionInfoProductName: 'AnyDesk' }),
    at('lookalike-domain', { RemoteUrl: 'notanydesk.com.evil', InitiatingProcessVersionInfoProductName: 'AnyDesk' }),
    at('browser-visit', { RemoteUrl: 'anydesk.com', InitiatingProcessVersionInfoProductName: 'Google Chrome' }),
  ];
  expect(hits('anydesk', 'network', { DeviceNetworkEvents: rows })).toEqual(['full-url', 'subdomain']);
});

test('PDQ process: product OR file name (compared case-insensitively)', () => {
  const rows = [
    at('product-only', { ProcessVersionInfoProductName: 'PDQConnectAgent', FileName: 'svc.exe' }),
    at('file-only', { FileName: 'PDQ-Connect-Agent.EXE' }),
    at('neither', { ProcessVersionInfoProductName: 'PDQ Deploy', FileName: 'pdq-connect-agent.exe.bak' }),
  ];
  expect(hits('pdq', 'process', { DeviceProcessEvents: rows })).toEqual(['file-only', 'product-only']);
});

test('Panorama9 process: company OR product', () => {
  const rows = [at('company', { ProcessVersionInfoCompanyName: 'Panorama9' }), at('product', { ProcessVersionInfoProductName: 'Panorama9 Agent' }), at('none', { ProcessVersionInfoCompanyName: 'Panorama' })];
  expect(hits('panorama9', 'process', { DeviceProcessEvents: rows })).toEqual(['company', 'product']);
});

test('DameWare process: company AND (product OR file description)', () => {
  const rows = [
    at('description', { ProcessVersionInfoCompanyName: 'SolarWinds', ProcessVersionInfoFileDescription: 'DameWare Mini Remote Control' }),
    at('product', { ProcessVersionInfoCompanyName: 'DameWare', ProcessVersionInfoProductName: 'DameWare Remote Support' }),
    at('company-only', { ProcessVersionInfoCompanyName: 'SolarWinds', ProcessVersionInfoProductName: 'Orion' }),
  ];
  expect(hits('dameware', 'process', { DeviceProcessEvents: rows })).toEqual(['description', 'product']);
});

test('Datto RMM network: the agent may report no company, but a foreign company does not match', () => {
  const rows = [
    at('no-company', { RemoteUrl: 'agent.centrastage.net' }),
    at('centrastage', { RemoteUrl: 'update.centrastage.net', InitiatingProcessVersionInfoCompanyName: 'CentraStage' }),
    at('other-company', { RemoteUrl: 'agent.centrastage.net', InitiatingProcessVersionInfoCompanyName: 'Contoso' }),
  ];
  expect(hits('dattormm', 'network', { DeviceNetworkEvents: rows })).toEqual(['centrastage', 'no-company']);
});

test('JumpCloud process: (company JumpCloud or empty) and a JumpCloud remote/assist/agent file', () => {
  const rows = [
    at('agent-no-company', { FileName: 'jumpcloud-agent.exe' }),
    at('assist-company', { FileName: 'JumpCloud Remote Assist.exe', ProcessVersionInfoCompanyName: 'JumpCloud Inc.' }),
    at('foreign-company', { FileName: 'jumpcloud-agent.exe', ProcessVersionInfoCompanyName: 'Evil Corp' }),
    at('no-role-word', { FileName: 'jumpcloud.exe' }),
  ];
  expect(hits('jumpcloud', 'process', { DeviceProcessEvents: rows })).toEqual(['agent-no-company', 'assist-company']);
});

test('Level process: a level* file in the Level folder with no version info (fixed from has_all has_any)', () => {
  const rows = [
    at('agent', { FileName: 'level.exe', FolderPath: 'C:\\Program Files\\Level\\level.exe' }),
    at('x86', { FileName: 'level-updater.exe', FolderPath: 'C:\\Program Files (x86)\\Level\\level-updater.exe' }),
    at('has-company', { FileName: 'level.exe', FolderPath: 'C:\\Program Files\\Level\\level.exe', ProcessVersionInfoCompanyName: 'Level Software, Inc' }),
    at('other-folder', { FileName: 'level.exe', FolderPath: 'C:\\Games\\Levels\\level.exe' }),
  ];
  expect(hits('level', 'process', { DeviceProcessEvents: rows })).toEqual(['agent', 'x86']);
});

test('DWService process: processes whose file hash is signed by DWSNET OÜ (two-step, SHA1 fixed)', () => {
  const tables = {
    DeviceFileCertificateInfo: [at('cert-host', { SHA1: 'aaaa', Signer: 'DWSNET OÜ' }), at('cert-host', { SHA1: 'bbbb', Signer: 'DWSNET OU' })],
    DeviceProcessEvents: [at('signed-binary', { SHA1: 'aaaa', FileName: 'dwagent.exe' }), at('ascii-signer', { SHA1: 'bbbb' }), at('unsigned', { SHA1: 'cccc' })],
  };
  expect(hits('dwservice', 'process', tables)).toEqual(['signed-binary']);
});

test('BeamYourScreen network: mikogo.com and mikogo4.com are separate domains (missing comma fixed)', () => {
  const rows = ['mikogo.com', 'mikogo4.com', 'www.beamyourscreen.com'].map((url) => at(url, { RemoteUrl: url, InitiatingProcessVersionInfoCompanyName: 'Mikogo GmbH' }));
  expect(hits('beamyourscreen', 'network', { DeviceNetworkEvents: rows })).toEqual(['mikogo.com', 'mikogo4.com', 'www.beamyourscreen.com']);
});

test('Xeox network: the Xeox domain is required even when the product matches (precedence fixed)', () => {
  const rows = [
    at('domain-and-product', { RemoteUrl: 'xeox.com', InitiatingProcessVersionInfoProductName: 'Xeox Agent' }),
    at('product-only', { RemoteUrl: 'example.org', InitiatingProcessVersionInfoProductName: 'Xeox Agent' }),
  ];
  expect(hits('xeox', 'network', { DeviceNetworkEvents: rows })).toEqual(['domain-and-product']);
});

test('Server-Eye: the non-ASCII company name must match exactly as a term', () => {
  const rows = ['Krämer IT Solutions GmbH', 'Kramer IT Solutions GmbH'].map((company) => at(company, { ProcessVersionInfoCompanyName: company, ProcessVersionInfoProductName: 'Server-Eye' }));
  expect(hits('servereye', 'process', { DeviceProcessEvents: rows })).toEqual(['Krämer IT Solutions GmbH']);
});

test('network hunts report the initiating account, which DeviceNetworkEvents has (not AccountUpn)', () => {
  const rows = [at('dev', { RemoteUrl: 'teamviewer.com', InitiatingProcessVersionInfoCompanyName: 'TeamViewer Germany GmbH', InitiatingProcessAccountUpn: 'maria.garcia@contoso.com' })];
  const { hits: found } = runHuntOnData(huntNamed(catalog, 'teamviewer', 'network'), KqlDatabase.fromRows({ DeviceNetworkEvents: rows }), { window: lastDays(5), now: NOW });
  expect(found[0].evidence).toContainEqual({ name: 'Accounts', values: ['maria.garcia@contoso.com'] });
});
