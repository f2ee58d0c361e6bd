import { type IndicatorRow, isAllToolsRow, isGap, loadRmmIndicators } from '../hunts/rmm-indicators';
import { kqlHas } from './kql-has';
import { digestHex } from './prng';
import type { ProgramFacts } from './table-rows';

/**
 * What an installed RMM tool looks like in telemetry, derived from the indicator table so that every
 * hunt's predicates hold for it: the signer of its files, its binary's version info, file name and
 * folder, and the hosts it talks to. Each tool also gets a look-alike ("decoy") identity whose every
 * value is a near miss (`NCHSoftware`, `notanydesk.com.evil`) that no hunt may match.
 */
export interface ProgramIdentity extends ProgramFacts {
  /** The indicator table's tool name, e.g. "DesktopNow". */
  tool: string;
  signer: string;
  issuer: string;
  /** Hosts the tool connects to; empty when it connects by IP (VNC-style tools). */
  hosts: string[];
  /** The agent is a macOS binary (Addigy): no `.exe`, Unix paths. */
  macOs: boolean;
}

export interface RmmToolIdentities {
  tool: string;
  real: ProgramIdentity;
  decoy: ProgramIdentity;
}

type Attribute = 'signer' | 'company' | 'product' | 'description' | 'originalFileName' | 'fileName' | 'folder';

const ATTRIBUTE_OF_FIELD: Readonly<Record<string, Attribute>> = {
  Signer: 'signer',
  ProcessVersionInfoCompanyName: 'company',
  InitiatingProcessVersionInfoCompanyName: 'company',
  ProcessVersionInfoProductName: 'product',
  InitiatingProcessVersionInfoProductName: 'product',
  ProcessVersionInfoFileDescription: 'description',
  InitiatingProcessVersionInfoFileDescription: 'description',
  ProcessVersionInfoOriginalFileName: 'originalFileName',
  InitiatingProcessVersionInfoOriginalFileName: 'originalFileName',
  FileName: 'fileName',
  InitiatingProcessFileName: 'fileName',
  FolderPath: 'folder',
};

/** Predicates on one attribute, from every row of every tool: what a look-alike must avoid. */
type Needles = Map<Attribute | 'host', IndicatorRow[]>;

let cached: RmmToolIdentities[] | undefined;

/** One entry per tool that has at least one hunt, in table order. */
export function rmmToolIdentities(rows: readonly IndicatorRow[] = loadRmmIndicators()): RmmToolIdentities[] {
  if (cached && rows === loadRmmIndicators()) return cached;
  const huntRows = rows.filter((r) => !isGap(r) && !isAllToolsRow(r));
  const needles = needlesOf(huntRows);
  const tools = [...new Set(huntRows.map((r) => r.tool))];
  const identities = tools.map((tool) => {
    const real = realIdentity(tool, huntRows.filter((r) => r.tool === tool));
    return { tool, real, decoy: decoyIdentity(real, needles) };
  });
  if (rows === loadRmmIndicators()) cached = identities;
  return identities;
}

function needlesOf(rows: readonly IndicatorRow[]): Needles {
  const needles: Needles = new Map();
  for (const row of rows) {
    const attribute = row.field === 'RemoteUrl' ? 'host' : ATTRIBUTE_OF_FIELD[row.field];
    if (!attribute || row.op === 'isempty') continue;
    const list = needles.get(attribute) ?? [];
    list.push(row);
    needles.set(attribute, list);
  }
  return needles;
}

function realIdentity(tool: string, rows: readonly IndicatorRow[]): ProgramIdentity {
  const values = new Map<Attribute, string>();
  for (const attribute of new Set(rows.map((r) => ATTRIBUTE_OF_FIELD[r.field]).filter(Boolean))) {
    values.set(attribute, satisfy(rows.filter((r) => ATTRIBUTE_OF_FIELD[r.field] === attribute)));
  }
  const macOs = tool === 'Addigy'; // its agent process names are macOS daemons
  const bareName = tool.replace(/[^A-Za-z0-9]/g, '');
  const rawFileName = values.get('fileName') || bareName;
  const fileName = macOs || /\.[a-z]{2,4}$/i.test(rawFileName) ? rawFileName : `${rawFileName.replace(/\s+/g, '-')}.exe`;
  const folder = values.get('folder');
  const folderPath = macOs ? `/Library/Addigy/${fileName}` : `${folder ? `C:${folder}` : `C:\\Program Files\\${bareName}\\`}${fileName}`;
  const company = values.get('company') ?? '';
  const product = values.has('product') ? (values.get('product') as string) : bareName;
  const hosts = rows.filter((r) => r.field === 'RemoteUrl').flatMap((r) => r.values.map(hostFor));
  return {
    tool,
    signer: values.get('signer') || company || bareName,
    issuer: 'DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1',
    company,
    product,
    description: values.get('description') || product,
    originalFileName: values.get('originalFileName') || fileName,
    fileName,
    folderPath,
    sha1: digestHex('sha1', `rmm/${tool}/${fileName}`),
    sha256: digestHex('sha256', `rmm/${tool}/${fileName}`),
    md5: digestHex('md5', `rmm/${tool}/${fileName}`),
    hosts,
    macOs,
  };
}

/**
 * A value that satisfies every predicate on one attribute: the first value of each has / has_any row
 * not already matched is appended. `isempty` rows only win when nothing else constrains the
 * attribute (where they appear beside other rows, the hunts combine them with OR).
 */
function satisfy(rows: readonly IndicatorRow[]): string {
  let value = '';
  for (const row of rows) {
    if (row.op === '=~') value = row.values[0];
    else if (row.op === 'startswith' && !value.toLowerCase().startsWith(row.values[0].toLowerCase())) value = `${row.values[0]}${value ? ` ${value}` : ''}`;
    else if ((row.op === 'has' || row.op === 'has_any' || row.op === 'has_all has_any') && !row.values.some((v) => kqlHas(value, v))) {
      value = value ? `${value} ${row.values[0]}` : row.values[0];
    }
  }
  return value;
}

/** A host name for a RemoteUrl indicator; a few indicators are words rather than domains. */
function hostFor(value: string): string {
  if (value.includes('.')) return value;
  return value === 'atera-agent-heartbeat' ? 'atera-agent-heartbeat.servicebus.windows.net' : `${value}.com`;
}

function decoyIdentity(real: ProgramIdentity, needles: Needles): ProgramIdentity {
  const near = (value: string, attribute: Attribute | 'host') => lookAlike(value, needles.get(attribute) ?? []);
  const fileName = near(real.fileName, 'fileName');
  const bareName = real.tool.replace(/[^A-Za-z0-9]/g, '');
  const folderPath = real.macOs ? `/Library/Not${bareName}/${fileName}` : `C:\\Program Files\\Not${bareName}\\${fileName}`;
  return {
    ...real,
    signer: near(real.signer, 'signer'),
    company: near(real.company, 'company'),
    product: near(real.product, 'product'),
    description: near(real.description, 'description'),
    originalFileName: near(real.originalFileName, 'originalFileName'),
    fileName,
    folderPath: lookAlike(folderPath, needles.get('folder') ?? []),
    sha1: digestHex('sha1', `decoy/${real.tool}/${fileName}`),
    sha256: digestHex('sha256', `decoy/${real.tool}/${fileName}`),
    md5: digestHex('md5', `decoy/${real.tool}/${fileName}`),
    hosts: real.hosts.map((host) => lookAlike(host, needles.get('host') ?? [], true)),
  };
}

/**
 * The first near miss of `value` that matches none of the predicates: spaces removed (`NCHSoftware`),
 * a trailing letter (`NCH Softwares`), a `Not` prefix, or as a last resort everything run into one
 * term; hosts become `not<host>.evil`.
 */
function lookAlike(value: string, predicates: readonly IndicatorRow[], isHost = false): string {
  if (value === '') return '';
  const squashed = value.replace(/\s+/g, '');
  const oneTerm = value.replace(/[^\p{L}\p{N}]/gu, '');
  const candidates = isHost
    ? [`not${value}.evil`, `not${value.replace(/\./g, '-')}.evil`, `not${oneTerm}.evil`]
    : [squashed !== value ? squashed : `${value}s`, `${value}s`, `Not${squashed}`, `Not${oneTerm}`];
  const found = candidates.find((candidate) => !predicates.some((row) => matches(row, candidate)));
  if (!found) throw new Error(`no look-alike for ${value} avoids every hunt`);
  return found;
}

/** Whether a predicate row matches a value, under both readings of a multi-term `has` needle. */
function matches(row: IndicatorRow, value: string): boolean {
  const lower = value.toLowerCase();
  switch (row.op) {
    case '=~':
      return row.values.some((v) => v.toLowerCase() === lower);
    case 'startswith':
      return row.values.some((v) => lower.startsWith(v.toLowerCase()));
    default:
      return row.values.some((v) => kqlHas(value, v) || termsInSequence(value, v));
  }
}

/** `kaseya.com` in `stun-kaseya-com`: the needle's terms appear consecutively, whatever separates them. */
function termsInSequence(value: string, needle: string): boolean {
  const haystack = termsOf(value);
  const wanted = termsOf(needle);
  if (wanted.length === 0) return false;
  return haystack.some((_, i) => wanted.every((term, j) => haystack[i + j] === term));
}

const termsByText = new Map<string, readonly string[]>();

/** A text's terms, lower-cased: kept, since every look-alike candidate meets every hunt's needles. */
function termsOf(text: string): readonly string[] {
  let terms = termsByText.get(text);
  if (!terms) termsByText.set(text, (terms = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)));
  return terms;
}
