import { BACKGROUND_PROGRAMS, type BackgroundProgram } from '../background-software';
import type { SampleDevice } from '../fleet';
import { Prng, digestHex } from '../prng';
import { type Row, type RowValues, rowLayout } from '../row-layout';

/** What the hunting-table generators need of the sample plan: its seed, its now and its fleet. */
export interface HuntingPlan {
  seed: number;
  nowMs: number;
  devices: readonly SampleDevice[];
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
const HISTORY_DAYS = 30;

/** One table's generator: deterministic rows for a plan, each a complete row of the bundled schema. */
export type TableGenerator = (plan: HuntingPlan, prng: Prng) => Iterable<RowValues>;

export function prngFor(plan: HuntingPlan, table: string): Prng {
  return Prng.for(plan.seed, `hunting/${table}`);
}

/** A time in the 30 days before now, denser in working hours. */
export function randomTime(plan: HuntingPlan, prng: Prng): number {
  let ms = plan.nowMs - Math.floor(prng.next() * HISTORY_DAYS * DAY);
  const hour = new Date(ms).getUTCHours();
  if ((hour < 7 || hour > 18) && prng.chance(0.6)) ms -= ((hour + 10) % 24) * HOUR;
  return Math.max(plan.nowMs - HISTORY_DAYS * DAY, Math.min(ms, plan.nowMs - 1));
}

/** A time in the last two days, so the default 5-day hunt window sees it. */
export function recentTime(plan: HuntingPlan, prng: Prng): number {
  return plan.nowMs - prng.int(1, 47) * HOUR - prng.int(0, 3_599_999);
}

/** Timestamp and TimeGenerated: the same instant, as the bundled schema's convention has it. */
export function timeColumns(ms: number): Row {
  return { Timestamp: ms, TimeGenerated: ms };
}

/**
 * A complete row of the table's bundled schema, in schema order, from parts (a later part wins a
 * key); a key the schema lacks is an error.
 */
export function row(table: string, ...parts: Row[]): RowValues {
  const layout = rowLayout(table);
  const values = layout.emptyRow();
  for (const part of parts) layout.fill(values, part);
  return values;
}

/** The InitiatingProcess* columns of an ordinary program running on a device. */
export function initiatingColumns(device: SampleDevice, program: BackgroundProgram, ms: number, prng: Prng): Row {
  const path = `${program.folder}${program.fileName}`;
  const hashes = programHashes(path);
  const user = device.user;
  const system = program.system === true;
  const id = prng.int(1000, 40_000);
  return {
    InitiatingProcessAccountDomain: system ? 'nt authority' : user.accountDomain.toLowerCase(),
    InitiatingProcessAccountName: system ? 'system' : user.accountName,
    InitiatingProcessAccountSid: system ? 'S-1-5-18' : user.sid,
    InitiatingProcessAccountUpn: system ? '' : user.upn,
    InitiatingProcessAccountObjectId: system ? '' : user.objectId,
    InitiatingProcessIntegrityLevel: system ? 'System' : 'Medium',
    InitiatingProcessTokenElevation: system ? 'TokenElevationTypeDefault' : 'TokenElevationTypeLimited',
    InitiatingProcessSHA1: hashes.sha1,
    InitiatingProcessSHA256: hashes.sha256,
    InitiatingProcessMD5: hashes.md5,
    InitiatingProcessFileName: program.fileName,
    InitiatingProcessFileSize: 150_000 + (parseInt(hashes.md5.slice(0, 5), 16) % 9_000_000),
    InitiatingProcessVersionInfoCompanyName: program.company,
    InitiatingProcessVersionInfoProductName: program.product,
    InitiatingProcessVersionInfoOriginalFileName: program.fileName,
    InitiatingProcessVersionInfoInternalFileName: program.fileName,
    InitiatingProcessVersionInfoFileDescription: program.description,
    InitiatingProcessId: id,
    InitiatingProcessCommandLine: `"${program.fileName}"`,
    InitiatingProcessCreationTime: ms - prng.int(60_000, 6 * HOUR),
    InitiatingProcessFolderPath: path,
    InitiatingProcessParentId: id > 1000 ? id - 377 : 4,
    InitiatingProcessParentFileName: program.parent,
    InitiatingProcessParentCreationTime: ms - 8 * HOUR,
  };
}

const hashesByPath = new Map<string, { sha1: string; sha256: string; md5: string }>();

/** A program's hashes, computed once per path (rows repeat the same few programs). */
function programHashes(path: string): { sha1: string; sha256: string; md5: string } {
  let hashes = hashesByPath.get(path);
  if (!hashes) hashesByPath.set(path, (hashes = { sha1: digestHex('sha1', path), sha256: digestHex('sha256', path), md5: digestHex('md5', path) }));
  return hashes;
}

/** The background program with this file name (they are fixed data, so it is there). */
export function program(fileName: string): BackgroundProgram {
  const found = BACKGROUND_PROGRAMS.find((p) => p.fileName === fileName);
  if (!found) throw new Error(`no background program ${fileName}`);
  return found;
}

/** Workstations and laptops: where people read mail and browse. */
export function endpoints(plan: HuntingPlan): readonly SampleDevice[] {
  const found = plan.devices.filter((d) => d.type !== 'Server');
  return found.length > 0 ? found : plan.devices;
}

/** 32-bit FNV-1a of text from a given basis: cheap, for ids that need to be stable, not secret. */
function fnv1a(text: string, basis: number): string {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** A stable GUID-shaped id from text (a row id per row: no cryptographic hash needed). */
export function guidOf(text: string): string {
  const h = `${fnv1a(text, 0x811c9dc5)}${fnv1a(text, 0x01234567)}${fnv1a(text, 0x89abcdef)}${fnv1a(text, 0x2545f491)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
