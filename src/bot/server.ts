import * as restify from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { ReadinessReport } from '../health/readiness';
import type { Logger } from '../logging/logger';
import type { ForegroundRequests } from '../scheduling/foreground-requests';

export interface HealthReport {
  status: 'ok';
  backend: string;
  hunts: number;
  [key: string]: unknown;
}

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  health: () => HealthReport;
  /** Readiness (stores, backend), served on /readyz and /healthz?ready: 200 when ready, 503 when degraded. */
  readiness?: () => Promise<ReadinessReport>;
  logger: Logger;
  /** Counts the Teams requests being answered, from arrival (before the body is read) to response, so background card updates wait for them. */
  foreground?: ForegroundRequests;
}

/** Turn state: when the request carrying the turn's activity arrived (ms since the epoch), for the running card's timing. */
export const RECEIVED_AT = Symbol('huntbot.receivedAt');

const MESSAGES_PATH = '/api/messages';

/** restify with the Bot Framework endpoint and a health probe. */
export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sentinel-hunt-bot', handleUncaughtExceptions: false });
  const foreground = deps.foreground;
  // Bot Framework activities are small; a cap keeps a hostile body from exhausting memory.
  server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }));

  server.post(MESSAGES_PATH, async (req, res) => {
    const receivedAt = req.time();
    await deps.adapter.process(req, res, async (context) => {
      context.turnState.set(RECEIVED_AT, receivedAt);
      // Only an authenticated turn counts as a Teams request being answered (results wait for it, briefly):
      // an unauthenticated or slow-bodied request never reaches here, so it cannot hold results back.
      const leave = foreground?.enter();
      try {
        await deps.bot.run(context);
      } finally {
        leave?.();
      }
    });
  });

  // Liveness: 200 whenever the process serves HTTP, so a platform does not restart it for a damaged store.
  server.get('/healthz', async (req, res) => {
    if (deps.readiness && new URLSearchParams(req.getQuery()).has('ready')) return sendReadiness(res, deps.readiness);
    res.json(200, deps.health());
  });
  const readiness = deps.readiness;
  if (readiness) server.get('/readyz', async (_req, res) => sendReadiness(res, readiness));

  server.on('restifyError', (req, _res, err, callback) => {
    deps.logger.warn({ event: 'http-error', path: req.path(), status: err.statusCode, message: err.message }, 'request failed');
    return callback();
  });
  return server;
}

async function sendReadiness(res: restify.Response, readiness: () => Promise<ReadinessReport>): Promise<void> {
  const report = await readiness();
  res.json(report.status === 'ready' ? 200 : 503, report);
}

export function listen(server: restify.Server, port: number, host: string): Promise<{ port: number; host: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ port: address.port, host: address.address });
    });
  });
}
