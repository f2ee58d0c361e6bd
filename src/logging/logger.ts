import pino from 'pino';

export type Logger = pino.Logger;

/** Paths redacted from every log line: tokens and secrets must never reach the logs. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'clientSecret',
  '*.clientSecret',
];

/** Structured JSON logs on stdout (or a given stream, for tests and the CLI). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'huntbot' }, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

export const silentLogger: Logger = pino({ level: 'silent' });
