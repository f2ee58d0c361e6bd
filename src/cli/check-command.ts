import type { TokenCredential } from '@azure/identity';
import { EXIT_FAILURE, EXIT_OK, UsageError, defineCommand } from './command-line';
import { SCHEMA_HELP, SCHEMA_OPTIONS, SchemaUnavailable, chooseSchema } from './schema-option';

/** `huntbot check`, with the identity `--workspace` uses (tests pass their own). */
export function checkCommandWith(deps: { credential?: TokenCredential } = {}) {
  return defineCommand({
    name: 'check',
    usage: "usage: huntbot check [--schema FILE | --workspace] '<KQL>'",
    help: `Prints the Kusto parser's diagnostics (severity, code, line:column, message) for the query against the
bundled Defender XDR and Sentinel table schemas, or "OK: no diagnostics".

${SCHEMA_HELP}

Exit 0 without errors, 1 when there is an error (or the schema asked for cannot be read), 2 on a usage error.`,
    options: SCHEMA_OPTIONS,
    run: async ({ values, positionals }, io) => {
      const kql = positionals.join(' ').trim();
      if (!kql) throw new UsageError('missing the KQL query');
      let schema;
      try {
        schema = await chooseSchema(values, { env: process.env, credential: deps.credential });
      } catch (error) {
        if (!(error instanceof SchemaUnavailable)) throw error;
        io.err(`huntbot check: ${error.message}`);
        return EXIT_FAILURE;
      }
      if (values.schema !== undefined || values.workspace) io.err(`checking against ${schema.description}`);
      const diagnostics = schema.check(kql);
      for (const d of diagnostics) io.out(`${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
      if (diagnostics.length === 0) io.out('OK: no diagnostics');
      return diagnostics.some((d) => d.severity === 'Error') ? EXIT_FAILURE : EXIT_OK;
    },
  });
}

/** `huntbot check`: the official parser's diagnostics for a query; exit 1 when any is an error. */
export const checkCommand = checkCommandWith();
