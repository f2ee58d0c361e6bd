import { parseDocument } from 'yaml';
import { shownText } from './shown-text';
import { errorMessage } from '../util/error-message';

/** Alias expansions allowed in one YAML file: enough for hand-written reuse, far below a "billion laughs". */
export const MAX_YAML_ALIASES = 50;

export type YamlReadResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * The value of a hand-written YAML file (hunt or expect.yaml): duplicate keys refused, aliases capped,
 * and a problem told as one short line that never echoes more than a bounded piece of the file.
 */
export function readBoundedYaml(text: string): YamlReadResult {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return { ok: false, reason: `invalid YAML: ${document.errors.map((e) => shownText(e.message.split('\n')[0], 160)).join('; ')}` };
  }
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (error) {
    const message = errorMessage(error);
    if (/alias count/i.test(message)) {
      return { ok: false, reason: `invalid YAML: aliases expand to more than ${MAX_YAML_ALIASES} nodes (a resource exhaustion attack?)` };
    }
    return { ok: false, reason: `invalid YAML: ${shownText(message.split('\n')[0], 160)}` };
  }
}
