import type { CliIO } from '../../src/cli/io';

/** A CLI's output and error lines, kept for a test to read. */
export function capturedIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}
