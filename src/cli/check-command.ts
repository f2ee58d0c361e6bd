import { checkQuery } from '../kql';
import type { CliCommand } from './io';

const USAGE = "usage: huntbot check '<KQL>'";

/** `huntbot check`: the official parser's diagnostics for a query; exit 1 when any is an error. */
export const checkCommand: CliCommand = async (argv, io) => {
  const unknown = argv.find((a) => a.startsWith('--'));
  if (unknown) {
    io.err(`huntbot check: unknown option ${unknown}. ${USAGE}`);
    return 2;
  }
  const kql = argv.join(' ').trim();
  if (!kql) {
    io.err(`huntbot check: missing the KQL query. ${USAGE}`);
    return 2;
  }
  const diagnostics = checkQuery(kql);
  for (const d of diagnostics) io.out(`${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
  const errors = diagnostics.filter((d) => d.severity === 'Error').length;
  if (diagnostics.length === 0) io.out('OK: no diagnostics');
  return errors > 0 ? 1 : 0;
};
