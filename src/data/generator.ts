import { BACKGROUND_PROGRAMS, type BackgroundProgram } from './background-software';
import { type SampleDevice, buildFleet } from './fleet';
import { Prng, digestHex, fileDigestsOf } from './prng';
import { type ProgramIdentity, rmmToolIdentities } from './rmm-identities';
import { huntingTableRows } from './hunting-tables';
import { type Row, type RowValues, rowLayout } from './row-layout';
import { type ProgramFacts, accountOf, certificateRow, deviceInfoRow, fileEventRow, imageLoadRow, logonRow, networkRow, processRow, windowsProgram } from './table-rows';
import { type IncidentStories, incidentStories, incidentStoryRows } from './incident-stories';
import { HOUR, sampleNow } from './sample-now';

export { sampleNow } from './sample-now';

/**
 * Sample Defender telemetry for running hunts with no Azure: a few hundred devices over the 30 days
 * before `now`, a background of ordinary software, every catalog tool installed on a few devices
 * (so every hunt has hits), and look-alikes of every tool on "decoy" devices that no hunt may match.
 * Deterministic: the same seed and `now` give the same rows.
 */
export interface TelemetryOptions {
  seed?: number;
  /** The data's "now"; default `sampleNow()`, the start of the current UTC hour. */
  now?: Date;
  devices?: number;
  /** Total rows over the generated tables (default 50,000), exactly from minimumTelemetryRows up; below it the planted activity comes on top. */
  rows?: number;
  /** Tables to generate (default all of TELEMETRY_TABLES). */
  tables?: string[];
  /** Hunting tables (HUNTING_TABLES: DeviceEvents, EmailEvents, …) to add, at a fixed volume per device, on top of `rows`. */
  huntingTables?: readonly string[];
}

export const TELEMETRY_TABLES = [
  'DeviceInfo',
  'DeviceFileCertificateInfo',
  'DeviceProcessEvents',
  'DeviceNetworkEvents',
  'DeviceFileEvents',
  'DeviceLogonEvents',
  'DeviceImageLoadEvents',
] as const;
/** The tables the RMM installs leave rows in; the others carry background activity and the incident stories. */
const RMM_TABLES: readonly string[] = ['DeviceFileCertificateInfo', 'DeviceProcessEvents', 'DeviceNetworkEvents'];
export const DEFAULT_SEED = 1128;
/**
 * Bump whenever generateTelemetry gives other rows for the same options: snapshots of the sample in
 * HUNT_CACHE_DIR are keyed by it (test/data/generator-version.test.ts pins a hash of its output).
 */
export const GENERATOR_VERSION = 1;

const DAY = 86_400_000;
const HISTORY_DAYS = 30;
/** Share of the row budget per table: process and network events dominate real Defender data. */
const TABLE_WEIGHTS: Readonly<Record<string, number>> = {
  DeviceInfo: 0.04,
  DeviceFileCertificateInfo: 0.2,
  DeviceProcessEvents: 0.46,
  DeviceNetworkEvents: 0.3,
  DeviceFileEvents: 0.12,
  DeviceLogonEvents: 0.06,
  DeviceImageLoadEvents: 0.12,
};

export interface PlantedInstall {
  /** The indicator table's tool name. */
  tool: string;
  identity: ProgramIdentity;
  device: SampleDevice;
  startMs: number;
  endMs: number;
  /** Active in the last days, so the default 5-day window sees it. */
  recent: boolean;
  /** A look-alike of the tool, which no hunt may match. */
  decoy: boolean;
  /** How the tool is used on this device; shapes parent process and command line. */
  usage: 'interactive' | 'service' | 'scheduled-job' | 'software-update' | 'backup-job';
}

export interface SamplePlan {
  seed: number;
  nowMs: number;
  devices: SampleDevice[];
  installs: PlantedInstall[];
  /** The lookups' planted incidents (a hash on several devices, a rare domain, failed then successful logons). */
  stories: IncidentStories;
}

/** The fleet and where each RMM tool (and its look-alike) is installed: the ground truth behind the rows. */
export function samplePlan(options: TelemetryOptions = {}): SamplePlan {
  const seed = options.seed ?? DEFAULT_SEED;
  const nowMs = (options.now ?? sampleNow()).getTime();
  const deviceCount = Math.max(8, options.devices ?? 300);
  const prng = Prng.for(seed, 'plan');
  const devices = buildFleet(Prng.for(seed, 'fleet'), deviceCount);

  // RMM tools concentrate on a minority of devices (IT-managed and a few stray installs); decoys live elsewhere.
  const shuffled = prng.sample(devices, devices.length);
  const rmmPool = shuffled.slice(0, Math.max(4, Math.round(deviceCount * 0.2)));
  const decoyPool = shuffled.slice(rmmPool.length, rmmPool.length + Math.max(2, Math.round(deviceCount * 0.05)));

  const installs: PlantedInstall[] = [];
  for (const { tool, real, decoy } of rmmToolIdentities()) {
    for (const device of prng.sample(rmmPool, prng.int(2, 3))) {
      const startMs = nowMs - prng.int(6, HISTORY_DAYS - 2) * DAY - prng.int(0, 23) * HOUR;
      installs.push({ tool, identity: real, device, startMs, endMs: nowMs, recent: true, decoy: false, usage: pickUsage(prng) });
    }
    // An install removed a week or more ago: a 30-day hunt finds it, a 5-day one does not.
    const oldStart = nowMs - prng.int(20, HISTORY_DAYS - 1) * DAY;
    installs.push({ tool, identity: real, device: prng.pick(rmmPool), startMs: oldStart, endMs: nowMs - prng.int(8, 15) * DAY, recent: false, decoy: false, usage: pickUsage(prng) });
    installs.push({ tool, identity: decoy, device: prng.pick(decoyPool), startMs: nowMs - prng.int(6, 25) * DAY, endMs: nowMs, recent: true, decoy: true, usage: 'interactive' });
  }
  return { seed, nowMs, devices, installs, stories: incidentStories(seed, devices) };
}

function pickUsage(prng: Prng): PlantedInstall['usage'] {
  return prng.weighted(['interactive', 'service', 'scheduled-job', 'software-update', 'backup-job'] as const, [4, 4, 1, 1, 1]);
}

/** Rows one at a time, table by table, so millions can be written without holding them in memory. */
export function* telemetryRows(options: TelemetryOptions = {}): Generator<{ table: string; row: Row }> {
  for (const { table, values } of telemetryRowValues(options)) yield { table, row: rowLayout(table).rowObject(values) };
}

/** telemetryRows' rows as RowValues (column values in schema order): what the columnar tables are built from. */
export function* telemetryRowValues(options: TelemetryOptions = {}): Generator<{ table: string; values: RowValues }> {
  const plan = samplePlan(options);
  const writers = selectedTables(options).map((table) => new TableWriter(table, plan));
  const planted = writers.map((writer) => writer.plantedRows());
  const counts = tableRowCounts(
    options.rows ?? 50_000,
    writers.map((writer, i) => ({ weight: TABLE_WEIGHTS[writer.table], minimum: writer.table === 'DeviceInfo' ? plan.devices.length : planted[i].length })),
  );
  for (const [i, writer] of writers.entries()) {
    yield* writer.backgroundRows(counts[i] - planted[i].length);
    for (const values of planted[i]) yield { table: writer.table, values };
  }
  yield* huntingTableRows(plan, options.huntingTables ?? []);
}

/**
 * The fewest rows these options can give exactly: the planted RMM activity and one DeviceInfo snapshot
 * per device. A smaller `rows` gives more than asked (the planted activity comes on top).
 */
export function minimumTelemetryRows(options: TelemetryOptions = {}): number {
  const plan = samplePlan(options);
  return selectedTables(options).reduce((sum, table) => sum + (table === 'DeviceInfo' ? plan.devices.length : new TableWriter(table, plan).plantedRows().length), 0);
}

function selectedTables(options: TelemetryOptions): string[] {
  const tables = options.tables ?? [...TELEMETRY_TABLES];
  for (const table of tables) {
    if (!(TELEMETRY_TABLES as readonly string[]).includes(table)) throw new Error(`cannot generate table ${table}; known: ${TELEMETRY_TABLES.join(', ')}`);
  }
  return tables;
}

/**
 * Splits `total` rows over tables by weight so they add up to exactly `total`: a table whose share is
 * below its minimum gets the minimum and the others share the rest (largest remainders get the odd rows).
 * Below the sum of the minimums, each table gets the larger of its share and its minimum.
 */
export function tableRowCounts(total: number, tables: ReadonlyArray<{ weight: number; minimum: number }>): number[] {
  const weightSum = tables.reduce((sum, t) => sum + t.weight, 0);
  if (total < tables.reduce((sum, t) => sum + t.minimum, 0)) {
    // Too small a budget to be exact: each table its weighted share, its planted rows on top.
    return tables.map((t) => Math.max(t.minimum, Math.round((total * t.weight) / weightSum)));
  }
  const counts: Array<number | undefined> = tables.map(() => undefined);
  for (;;) {
    const open = tables.map((t, i) => ({ ...t, i })).filter((t) => counts[t.i] === undefined);
    const left = total - counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
    const weights = open.reduce((sum, t) => sum + t.weight, 0);
    const below = open.filter((t) => (left * t.weight) / weights < t.minimum);
    if (below.length === 0) {
      const shares = open.map((t) => ({ i: t.i, share: (left * t.weight) / weights }));
      for (const { i, share } of shares) counts[i] = Math.floor(share);
      let odd = left - shares.reduce((sum, { share }) => sum + Math.floor(share), 0);
      for (const { i } of [...shares].sort((a, b) => (b.share % 1) - (a.share % 1) || a.i - b.i)) {
        if (odd-- <= 0) break;
        counts[i] = (counts[i] ?? 0) + 1;
      }
      return counts.map((c) => c ?? 0);
    }
    for (const t of below) counts[t.i] = t.minimum;
  }
}

/** All rows in memory, by table: what the embedded engine loads. */
export function generateTelemetry(options: TelemetryOptions = {}): Record<string, Array<Record<string, unknown>>> {
  const tables: Record<string, Row[]> = {};
  for (const table of options.tables ?? TELEMETRY_TABLES) tables[table] = [];
  for (const { table, row } of telemetryRows(options)) (tables[table] ??= []).push(row);
  return tables;
}

/** Builds one table's rows; its own PRNG streams keep a table's rows independent of the others. */
class TableWriter {
  private reportId = 10_000;
  private readonly startMs: number;

  constructor(
    readonly table: string,
    private readonly plan: SamplePlan,
  ) {
    this.startMs = plan.nowMs - HISTORY_DAYS * DAY;
  }

  *backgroundRows(count: number): Generator<{ table: string; values: RowValues }> {
    const prng = Prng.for(this.plan.seed, `background/${this.table}`);
    const { devices } = this.plan;
    if (this.table === 'DeviceInfo') {
      // Regular snapshots of every device, `count` in all: the first devices take the odd ones.
      for (const [d, device] of devices.entries()) {
        const perDevice = Math.max(1, Math.floor(count / devices.length) + (d < count % devices.length ? 1 : 0));
        for (let i = 0; i < perDevice; i++) {
          const ms = this.plan.nowMs - ((i + prng.next()) * (HISTORY_DAYS * DAY)) / perDevice;
          yield { table: this.table, values: deviceInfoRow({ device, ms: Math.floor(ms), reportId: this.nextReportId() }) };
        }
      }
      return;
    }
    if (this.table === 'DeviceLogonEvents') {
      for (let i = 0; i < count; i++) yield { table: this.table, values: this.backgroundLogon(prng, prng.pick(devices), this.randomTime(prng)) };
      return;
    }
    const programs = this.table === 'DeviceNetworkEvents' ? BACKGROUND_PROGRAMS.filter((p) => p.domains.length > 0) : BACKGROUND_PROGRAMS;
    const weights = programs.map((p) => p.weight);
    for (let i = 0; i < count; i++) {
      const device = prng.pick(devices);
      const program = prng.weighted(programs, weights);
      yield { table: this.table, values: this.backgroundRow(prng, device, program, this.randomTime(prng)) };
    }
  }

  plantedRows(): RowValues[] {
    if (this.table === 'DeviceInfo') return [];
    const prng = Prng.for(this.plan.seed, `planted/${this.table}`);
    const rows: RowValues[] = [];
    if (RMM_TABLES.includes(this.table)) {
      for (const install of this.plan.installs) {
        for (const ms of this.eventTimes(prng, install)) rows.push(this.plantedRow(prng, install, ms));
      }
    }
    rows.push(...incidentStoryRows(this.table, this.plan.stories, this.plan.nowMs, this.plan.seed, () => this.nextReportId()));
    return rows;
  }

  /** Spread over the install's life, plus one in the last two days for a current install. */
  private eventTimes(prng: Prng, install: PlantedInstall): number[] {
    const days = Math.max(1, (install.endMs - install.startMs) / DAY);
    const perDay = { DeviceFileCertificateInfo: 0.2, DeviceProcessEvents: 0.5, DeviceNetworkEvents: 1 }[this.table] ?? 0;
    const count = Math.max(1, Math.round(days * perDay));
    const times = Array.from({ length: count }, () => install.startMs + Math.floor(prng.next() * (install.endMs - install.startMs)));
    if (install.recent) times.push(this.plan.nowMs - prng.int(1, 47) * HOUR - prng.int(0, 3_599_999));
    return times.sort((a, b) => a - b);
  }

  private plantedRow(prng: Prng, install: PlantedInstall, ms: number): RowValues {
    const { identity, device } = install;
    const program: ProgramFacts = identity;
    const asSystem = install.usage !== 'interactive';
    switch (this.table) {
      case 'DeviceFileCertificateInfo':
        return certificateRow({ device, ms, sha1: identity.sha1, signer: identity.signer, issuer: identity.issuer, reportId: this.nextReportId() });
      case 'DeviceProcessEvents':
        return processRow({
          device,
          ms,
          program,
          account: accountOf(device, asSystem),
          commandLine: commandLineFor(install),
          parent: parentFor(install),
          prng,
          reportId: this.nextReportId(),
        });
      default: {
        const host = identity.hosts.length > 0 ? prng.pick(identity.hosts) : '';
        const remoteUrl = host ? urlFor(prng, host) : '';
        return networkRow({
          device,
          ms,
          program,
          account: accountOf(device, asSystem),
          remoteUrl,
          remoteIp: host ? ipFor(host) : `198.51.100.${prng.int(1, 254)}`,
          remotePort: host ? 443 : 5900,
          prng,
          reportId: this.nextReportId(),
        });
      }
    }
  }

  private backgroundRow(prng: Prng, device: SampleDevice, program: BackgroundProgram, ms: number): RowValues {
    const facts = programFacts(program);
    const account = accountOf(device, program.system === true);
    switch (this.table) {
      case 'DeviceFileCertificateInfo':
        return certificateRow({ device, ms, sha1: facts.sha1, signer: program.signer, issuer: program.issuer, reportId: this.nextReportId() });
      case 'DeviceFileEvents':
        return fileEventRow({ device, ms, file: facts, actionType: prng.chance(0.7) ? 'FileModified' : 'FileCreated', initiating: facts, account, prng, reportId: this.nextReportId() });
      case 'DeviceImageLoadEvents':
        return imageLoadRow({ device, ms, image: systemLibrary(prng.pick(SYSTEM_LIBRARIES)), initiating: facts, account, prng, reportId: this.nextReportId() });
      case 'DeviceProcessEvents':
        return processRow({
          device,
          ms,
          program: facts,
          account,
          commandLine: `"${facts.folderPath}"${prng.chance(0.3) ? ' --type=utility' : ''}`,
          parent: { fileName: program.parent, folderPath: `C:\\Windows\\${program.parent === 'explorer.exe' ? '' : 'System32\\'}${program.parent}` },
          prng,
          reportId: this.nextReportId(),
        });
      default: {
        const host = prng.pick(program.domains);
        return networkRow({ device, ms, program: facts, account, remoteUrl: urlFor(prng, host), remoteIp: ipFor(host), remotePort: 443, prng, reportId: this.nextReportId() });
      }
    }
  }

  /** People signing in to their own device (unlocks and interactive logons, now and then a typo), and services starting. */
  private backgroundLogon(prng: Prng, device: SampleDevice, ms: number): RowValues {
    const service = prng.chance(0.25);
    return logonRow({
      device,
      ms,
      account: accountOf(device, service),
      success: service || prng.chance(0.97),
      logonType: service ? 'Service' : prng.pick(['Interactive', 'Unlock', 'Unlock'] as const),
      prng,
      reportId: this.nextReportId(),
    });
  }

  /** Uniform over the history, denser in working hours. */
  private randomTime(prng: Prng): number {
    let ms = this.startMs + Math.floor(prng.next() * HISTORY_DAYS * DAY);
    const hour = new Date(ms).getUTCHours();
    if ((hour < 7 || hour > 18) && prng.chance(0.6)) ms -= ((hour + 10) % 24) * HOUR; // pull most night events into the day
    return Math.max(this.startMs, Math.min(ms, this.plan.nowMs - 1));
  }

  private nextReportId(): number {
    return this.reportId++;
  }
}

const SYSTEM_LIBRARIES = ['kernel32.dll', 'ntdll.dll', 'user32.dll', 'advapi32.dll', 'ws2_32.dll', 'crypt32.dll', 'winhttp.dll'];
const libraryCache = new Map<string, ProgramFacts>();

/** A Windows system library loaded by background programs. */
function systemLibrary(fileName: string): ProgramFacts {
  let facts = libraryCache.get(fileName);
  if (!facts) {
    facts = windowsProgram({ fileName, folderPath: `C:\\Windows\\System32\\${fileName}` });
    libraryCache.set(fileName, facts);
  }
  return facts;
}

const programFactsCache = new Map<BackgroundProgram, ProgramFacts>();

function programFacts(program: BackgroundProgram): ProgramFacts {
  let facts = programFactsCache.get(program);
  if (!facts) {
    const path = `${program.folder}${program.fileName}`;
    facts = {
      company: program.company,
      product: program.product,
      description: program.description,
      originalFileName: program.fileName,
      fileName: program.fileName,
      folderPath: path,
      ...fileDigestsOf(path),
    };
    programFactsCache.set(program, facts);
  }
  return facts;
}

/** Command lines carry the evidence the benign scenarios describe (update.exe, backup.exe, schtasks). */
function commandLineFor(install: PlantedInstall): string {
  const exe = `"${install.identity.folderPath}"`;
  switch (install.usage) {
    case 'service':
      return `${exe} --service`;
    case 'scheduled-job':
      return `${exe} --run-script C:\\ProgramData\\IT\\maintenance.ps1`;
    case 'software-update':
      return `${exe} --deploy C:\\ProgramData\\IT\\Deploy\\update.exe`;
    case 'backup-job':
      return `${exe} --run C:\\ProgramData\\IT\\backup.exe --target \\\\fs01\\backup_data`;
    default:
      return exe;
  }
}

function parentFor(install: PlantedInstall): { fileName: string; folderPath: string } {
  if (install.identity.macOs) return { fileName: 'launchd', folderPath: '/sbin/launchd' };
  switch (install.usage) {
    case 'service':
      return { fileName: 'services.exe', folderPath: 'C:\\Windows\\System32\\services.exe' };
    case 'scheduled-job':
      return { fileName: 'schtasks.exe', folderPath: 'C:\\Windows\\System32\\schtasks.exe' };
    case 'software-update':
    case 'backup-job':
      return { fileName: 'svchost.exe', folderPath: 'C:\\Windows\\System32\\svchost.exe' };
    default:
      return { fileName: 'explorer.exe', folderPath: 'C:\\Windows\\explorer.exe' };
  }
}

/** Usually the bare host (as Defender records most connections), sometimes a full URL. */
function urlFor(prng: Prng, host: string): string {
  const labels = host.split('.');
  const withSubdomain = labels.length === 2 && prng.chance(0.5) ? `${prng.pick(['relay-01', 'api', 'cdn', 'edge-2'])}.${host}` : host;
  return prng.chance(0.2) ? `https://${withSubdomain}/` : withSubdomain;
}

/** A stable public address per host. */
function ipFor(host: string): string {
  const h = digestHex('sha1', `ip/${host}`);
  const octet = (i: number) => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return `${20 + (octet(0) % 180)}.${octet(1)}.${octet(2)}.${1 + (octet(3) % 253)}`;
}
