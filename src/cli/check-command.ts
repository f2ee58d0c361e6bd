import { checkQuery } from '../kql';
import { EXIT_FAILURE, EXIT_OK, UsageError, defineCommand } from './command-line';

/** `huntbot check`: the official parser's diagnostics for a query; exit 1 when any is an error. */
export const checkCommand = defineCommand({
  name: 'check',
  usage: "usage: huntbot check '<KQL>'",
  help: `Prints the Kusto parser's diagnostics (severity, code, line:column, message) for the query against the
Defender table schemas, or "OK: no diagnostics".

Exit 0 without errors, 1 when there is an error, 2 on a usage error.`,
  options: {},
  run: async ({ positionals }, io) => {
    const kql = positionals.join(' ').trim();
    if (!kql) throw new UsageError('missing the KQL query');
    const diagnostics = checkQuery(kql);
    for (const d of diagnostics) io.out(`${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
    if (diagnostics.length === 0) io.out('OK: no diagnostics');
    return diagnostics.some((d) => d.severity === 'Error') ? EXIT_FAILURE : EXIT_OK;
  },
});
