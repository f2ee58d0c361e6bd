import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import type { KustoType } from '../../types';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { decodeStringLiteral } from '../literals';
import { buildRegex, stringOperand } from '../scalar-helpers';
import { compileScalar } from '../scalar';
import { parameterText } from './parameters';

const ESCAPE = /[.*+?^${}()|[\]\\]/g;

/** What a typed column matches in simple mode (strict: a value that is not of the type fails the whole parse). */
function typedPattern(type: KustoType): string {
  switch (type) {
    case 'long':
    case 'int':
      return '[+-]?\\d+';
    case 'real':
    case 'decimal':
      return '[+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
    case 'bool':
      return '(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])';
    default:
      return '.*?';
  }
}

interface Capture {
  name: string;
  type: KustoType;
}

/**
 * parse / parse-where [kind=simple|regex|relaxed] Expr with * "literal" Col:type ...: the pattern
 * becomes one regular expression (literals escaped except in regex kind, `*` skips, a trailing column
 * takes the rest). A row that does not match keeps empty columns with parse and is dropped with parse-where.
 */
export function parse(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[], keepUnmatched: boolean): Table {
  const kind = (parameterText(op, 'kind') ?? 'simple').toLowerCase();
  const flags = (parameterText(op, 'flags') ?? '').replace(/[^imsU]/g, '');
  const patterns = op.list('Patterns');
  const captures: Capture[] = [];
  let source = '^';
  patterns.forEach((p, k) => {
    const last = k === patterns.length - 1;
    if (p.kind === 'StarExpression') source += last ? '.*' : '.*?';
    else if (p.kind === 'StringLiteralExpression' || p.kind === 'CompoundStringLiteralExpression') {
      const text = decodeStringLiteral(p.text.trim());
      source += kind === 'regex' ? text : text.replace(ESCAPE, '\\$&');
    } else {
      const nameNode = p.kind === 'NameAndTypeDeclaration' ? p.required('Name') : p;
      const name = nameNode.text.trim().replace(/^\['?|'?\]$/g, '');
      const type = output.find((c) => c.name === name)?.type ?? 'string';
      captures.push({ name, type });
      const typed = kind === 'simple' ? typedPattern(type) : '.*?';
      source += `(${last && typed === '.*?' ? '.*' : typed})`;
    }
  });
  const regex = buildRegex(source, op, { ctx, table: input }, flags.includes('i') ? 'i' : '');
  const scope: Scope = { ctx, table: input };
  const text = stringOperand(compileScalar(op.required('Expression'), scope));
  const rows = input.rowIndexes();
  const builders = new Map(captures.map((c) => [c.name, columnBuilder(c.type, rows.length)]));
  const kept: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    ctx.budget.work(1);
    const m = regex.exec(String(text(rows[k]) ?? ''));
    if (!m && !keepUnmatched) continue;
    kept.push(rows[k]);
    captures.forEach((c, g) => builders.get(c.name)!.appendRaw(m ? m[g + 1] : null));
  }
  const keptRows = Uint32Array.from(kept);
  const columns = output.map((out) => {
    const b = builders.get(out.name);
    if (b) return b.build();
    const index = input.indexOf(out.name);
    return index >= 0 ? input.columns[index].gather(keptRows) : ctx.unsupported(op, `parse producing column ${out.name}`);
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    keptRows.length,
  );
}
