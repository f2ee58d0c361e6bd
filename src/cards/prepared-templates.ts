import * as fs from 'node:fs';
import * as path from 'node:path';
import { Constant, Expression, ExpressionEvaluator, ExpressionFunctions, ReturnType } from 'adaptive-expressions';
import { Template } from 'adaptivecards-templating';
import { dependencyVersion, packageRoot } from '../package-root';
import { replaceFileSync } from '../util/replace-file-sync';
import { sha256Hex } from '../util/sha256-hex';

/**
 * A parsed `${…}` expression as JSON: a constant's value ({ u: 1 } for undefined), or a function's
 * type and arguments. Exactly what adaptive-expressions' parser builds from these two kinds of node.
 */
type KeptExpression = { v: string | number | boolean | null } | { u: 1 } | { t: string; a: KeptExpression[] };

/** Per `${…}` string of a template, in the order Template.prepare meets them: its expression, or null where the library keeps the string. */
type KeptTemplate = Array<KeptExpression | null>;

/** Bumped when the file's shape changes: a file of another version is not read. */
const FORMAT = 1;

interface PreparedTemplatesFile {
  format: number;
  /** The templating library and expression parser that prepared them (templatingEngine()). */
  engine: string;
  /** SHA-256 of a card template file's text → its prepared expressions. */
  templates: Record<string, KeptTemplate>;
}

/**
 * Where the build keeps the card templates prepared: parsing the running, result and error cards' ~120
 * `${…}` expressions (adaptive-expressions' ANTLR parser, cold in every new process) takes 60–100 ms of
 * a start's main thread (more on a busy machine), and again in every test file that starts a bot.
 * Rebuilding the same expressions from this file takes 2–4 ms and no parser at all.
 */
export function preparedTemplatesFile(): string {
  return path.join(packageRoot(), 'dist', 'cards.prepared.json');
}

/** The libraries whose parsing the file stands for: another release of either (npm update without a build) parses again. */
function templatingEngine(): string {
  return `adaptivecards-templating ${dependencyVersion('adaptivecards-templating')}, adaptive-expressions ${dependencyVersion('adaptive-expressions')}`;
}

/** How Template.prepare resolves a function name (adaptivecards-templating's own lookup): a standard function, or one that fails when evaluated. */
function lookup(type: string): ExpressionEvaluator {
  return (
    ExpressionFunctions.standardFunctions.get(type) ??
    new ExpressionEvaluator(
      type,
      () => {
        throw new Error(`Unknown function ${type}`);
      },
      ReturnType.String,
    )
  );
}

/**
 * new Template(JSON.parse(text)), answered from `file` for a template text the build prepared (the same
 * SHA-256, the same libraries): its expressions are rebuilt rather than parsed. Any other text, or no
 * usable file, is parsed as ever.
 */
export function preparedTemplateReader(file = preparedTemplatesFile()): (text: string) => Template {
  let kept: Record<string, KeptTemplate> | undefined;
  return (text) => {
    kept ??= readKept(file);
    const hash = sha256Hex(text);
    const expressions = Object.prototype.hasOwnProperty.call(kept, hash) ? kept[hash] : undefined;
    const source = JSON.parse(text) as unknown;
    return (expressions && templateFrom(source, expressions)) ?? new Template(source);
  };
}

function readKept(file: string): Record<string, KeptTemplate> {
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<PreparedTemplatesFile>;
    if (kept.format !== FORMAT || kept.engine !== templatingEngine() || !kept.templates || typeof kept.templates !== 'object') return {};
    return kept.templates;
  } catch {
    return {};
  }
}

/** The template `source` prepared with `expressions`, or undefined when they do not fit it (a damaged file) or the library's shape is not the one known. */
function templateFrom(source: unknown, expressions: KeptTemplate): Template | undefined {
  try {
    const next = { index: 0 };
    const prepared = rebuildPayload(source, expressions, next);
    if (next.index !== expressions.length) return undefined;
    const template = new Template({});
    // The library keeps what its constructor prepared in this one field (adaptivecards-templating 2.x; the file is keyed by its release).
    const fields = template as unknown as Record<string, unknown>;
    if (Object.keys(fields).join() !== '_preparedPayload') return undefined;
    fields._preparedPayload = prepared;
    return template;
  } catch {
    return undefined;
  }
}

/** Template.prepare's walk over the template JSON, taking each `${…}` string's expression from `expressions` instead of parsing it. */
function rebuildPayload(node: unknown, expressions: KeptTemplate, next: { index: number }): unknown {
  if (typeof node === 'string') {
    if (!node.includes('${')) return node;
    if (next.index >= expressions.length) throw new Error('fewer expressions than the template has');
    const kept = expressions[next.index++];
    return kept === null ? node : rebuildExpression(kept);
  }
  if (Array.isArray(node)) return node.map((item) => rebuildPayload(item, expressions, next));
  if (typeof node === 'object' && node !== null) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(node)) result[key] = rebuildPayload((node as Record<string, unknown>)[key], expressions, next);
    return result;
  }
  return node;
}

/** The expression the parser built, built again: constants as constants, functions through the lookup and validation the parser uses. */
function rebuildExpression(kept: KeptExpression): Expression {
  if ('u' in kept) return new Constant(undefined);
  if ('v' in kept) return new Constant(kept.v);
  if (typeof kept.t !== 'string' || !Array.isArray(kept.a)) throw new Error('not a kept expression');
  return Expression.makeExpression(kept.t, lookup(kept.t), ...kept.a.map(rebuildExpression));
}

/** `expression` as JSON, or an error for a node the two kinds do not cover (that template is then parsed at load). */
function keptExpression(expression: Expression): KeptExpression {
  if (expression instanceof Constant) {
    const value: unknown = expression.value;
    if (value === undefined) return { u: 1 };
    if (typeof value === 'string' || typeof value === 'boolean' || value === null || (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0))) return { v: value };
    throw new Error(`a constant JSON cannot carry exactly: ${String(value)}`);
  }
  if (Object.getPrototypeOf(expression) !== Expression.prototype) throw new Error(`an expression of another kind: ${expression.type}`);
  return { t: expression.type, a: expression.children.map(keptExpression) };
}

/** The expressions of the prepared `payload` (new Template(source)'s) at each `${…}` string of `source`, in Template.prepare's order. */
function keptTemplate(source: unknown, payload: unknown, out: KeptTemplate = []): KeptTemplate {
  if (typeof source === 'string') {
    if (!source.includes('${')) return out;
    if (payload instanceof Expression) out.push(keptExpression(payload));
    else if (payload === source) out.push(null);
    else throw new Error('a prepared string the walk does not know');
  } else if (Array.isArray(source)) {
    if (!Array.isArray(payload) || payload.length !== source.length) throw new Error('a prepared array of another shape');
    source.forEach((item, i) => keptTemplate(item, payload[i], out));
  } else if (typeof source === 'object' && source !== null) {
    for (const key of Object.keys(source)) keptTemplate((source as Record<string, unknown>)[key], (payload as Record<string, unknown>)[key], out);
  }
  return out;
}

/**
 * The template's expressions as the library prepares them, when they can be kept exactly: rebuilding
 * them must give the same nodes (kind, type, return type, value) as parsing did. Undefined otherwise.
 */
function preparedExpressions(text: string): KeptTemplate | undefined {
  try {
    const source = JSON.parse(text) as unknown;
    const parsed = new Template(source);
    const payload = (parsed as unknown as Record<string, unknown>)._preparedPayload;
    const kept = keptTemplate(source, payload);
    const rebuilt = templateFrom(source, kept);
    const rebuiltPayload = rebuilt && (rebuilt as unknown as Record<string, unknown>)._preparedPayload;
    return rebuiltPayload !== undefined && sameNodes(payload, rebuiltPayload) ? kept : undefined;
  } catch {
    return undefined;
  }
}

/** Whether two prepared payloads are the same tree: the same JSON, and expressions of the same class, type, return type, value and children. */
function sameNodes(a: unknown, b: unknown): boolean {
  if (a instanceof Expression || b instanceof Expression) {
    if (!(a instanceof Expression) || !(b instanceof Expression) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (a.type !== b.type || a.returnType !== b.returnType || a.children.length !== b.children.length) return false;
    // A standard function is evaluated by the library's one evaluator of it; an unknown one, by a new one that throws.
    if (!(a instanceof Constant) && ExpressionFunctions.standardFunctions.has(a.type) && a.evaluator !== b.evaluator) return false;
    if (a instanceof Constant && !Object.is(a.value, (b as Constant).value)) return false;
    return a.children.every((child, i) => sameNodes(child, b.children[i]));
  }
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameNodes(item, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return keys.join() === Object.keys(b).join() && keys.every((key) => sameNodes((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return Object.is(a, b);
}

/**
 * Prepares every card template in `dir` and writes them to `file` (`npm run build`). A template whose
 * expressions cannot be kept exactly is left out, so it is parsed at load. Returns how many were kept.
 */
export function writePreparedTemplates(file = preparedTemplatesFile(), dir = path.join(packageRoot(), 'cards')): number {
  const templates: Record<string, KeptTemplate> = {};
  for (const name of fs.readdirSync(dir).filter((entry) => entry.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const kept = preparedExpressions(text);
    if (kept !== undefined) templates[sha256Hex(text)] = kept;
  }
  replaceFileSync(file, JSON.stringify({ format: FORMAT, engine: templatingEngine(), templates } satisfies PreparedTemplatesFile));
  return Object.keys(templates).length;
}
