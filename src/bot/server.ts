import * as restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from '../logging/logger';

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
  logger: Logger;
}

/** restify with the Bot Framework endpoint and a health probe. */
export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sentinel-hunt-bot', handleUncaughtExceptions: false });
  // Bot Framework activities are small; a cap keeps a hostile body from exhausting memory.
  server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  server.get('/healthz', (_req, res, next) => {
    res.json(200, deps.health());
    return next();
  });

  server.on('restifyError', (req, _res, err, callback) => {
    deps.logger.warn({ event: 'http-error', path: req.path(), status: err.statusCode, message: err.message }, 'request failed');
    return callback();
  });
  return server;
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
