import { type HuntingPlan, type TableGenerator, prngFor } from './hunting/context';
import { alertEvidence, alertInfo } from './hunting/alert-tables';
import { deviceEvents, deviceNetworkInfo, deviceRegistryEvents, deviceTvmSoftwareInventory, deviceTvmSoftwareVulnerabilities } from './hunting/endpoint-tables';
import { cloudAppEvents, identityDirectoryEvents, identityLogonEvents, identityQueryEvents } from './hunting/identity-tables';
import { emailAttachmentInfo, emailEvents, emailUrlInfo, urlClickEvents } from './hunting/mail-tables';
import type { RowValues } from './row-layout';

/**
 * The Defender tables hunts commonly use beyond the RMM hunts' four: generated from the same plan
 * (fleet, seed, now) at a fixed volume per device, on top of the `rows` budget of the RMM tables.
 * Each table's rows come from its own PRNG stream (the two TVM tables share one, so the
 * vulnerabilities name software the inventory lists).
 */
const GENERATORS: ReadonlyArray<{ table: string; stream: string; rows: TableGenerator }> = [
  { table: 'DeviceEvents', stream: 'DeviceEvents', rows: deviceEvents },
  { table: 'DeviceRegistryEvents', stream: 'DeviceRegistryEvents', rows: deviceRegistryEvents },
  { table: 'DeviceNetworkInfo', stream: 'DeviceNetworkInfo', rows: deviceNetworkInfo },
  { table: 'DeviceTvmSoftwareInventory', stream: 'DeviceTvm', rows: deviceTvmSoftwareInventory },
  { table: 'DeviceTvmSoftwareVulnerabilities', stream: 'DeviceTvm', rows: deviceTvmSoftwareVulnerabilities },
  { table: 'EmailEvents', stream: 'EmailEvents', rows: emailEvents },
  { table: 'EmailAttachmentInfo', stream: 'EmailAttachmentInfo', rows: emailAttachmentInfo },
  { table: 'EmailUrlInfo', stream: 'EmailUrlInfo', rows: emailUrlInfo },
  { table: 'UrlClickEvents', stream: 'UrlClickEvents', rows: urlClickEvents },
  { table: 'IdentityLogonEvents', stream: 'IdentityLogonEvents', rows: identityLogonEvents },
  { table: 'IdentityQueryEvents', stream: 'IdentityQueryEvents', rows: identityQueryEvents },
  { table: 'IdentityDirectoryEvents', stream: 'IdentityDirectoryEvents', rows: identityDirectoryEvents },
  { table: 'CloudAppEvents', stream: 'CloudAppEvents', rows: cloudAppEvents },
  { table: 'AlertInfo', stream: 'AlertInfo', rows: alertInfo },
  { table: 'AlertEvidence', stream: 'AlertEvidence', rows: alertEvidence },
];

export const HUNTING_TABLES: readonly string[] = GENERATORS.map((g) => g.table);

/** Rows of the named hunting tables for a plan, table by table; an unknown name is an error. */
export function* huntingTableRows(plan: HuntingPlan, tables: readonly string[]): Generator<{ table: string; values: RowValues }> {
  for (const table of tables) {
    const generator = GENERATORS.find((g) => g.table === table);
    if (!generator) throw new Error(`cannot generate table ${table}; hunting tables: ${HUNTING_TABLES.join(', ')}`);
    for (const values of generator.rows(plan, prngFor(plan, generator.stream))) yield { table, values };
  }
}
