import * as fs from 'node:fs';
import * as path from 'node:path';

/** One relative import of a source file: which file imports which, and whether only types cross. */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)';/gm;

/** Every `.ts` file below `dir`, relative to `root`, with forward slashes. */
export function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) found.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return found.sort();
}

/** The modules a file imports: package names as written, project files resolved to their path. */
export function importsOf(root: string, file: string): Array<{ specifier: string; resolved?: string; typeOnly: boolean }> {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found: Array<{ specifier: string; resolved?: string; typeOnly: boolean }> = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[3];
    const typeOnly = match[2] !== undefined;
    if (!specifier.startsWith('.')) {
      found.push({ specifier, typeOnly });
      continue;
    }
    const base = path.join(path.dirname(path.join(root, file)), specifier);
    const candidates = [`${base}.ts`, path.join(base, 'index.ts')];
    const hit = candidates.find((c) => fs.existsSync(c));
    found.push({ specifier, typeOnly, resolved: hit ? path.relative(root, hit).split(path.sep).join('/') : undefined });
  }
  return found;
}

/** Strongly connected groups of more than one node (each one is a cycle), by Tarjan's algorithm. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}
