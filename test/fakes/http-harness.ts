import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http server bound to 127.0.0.1 on a free port, closable even with hanging requests. */
export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly origin: string;
  close(): Promise<void>;
}

export async function listenOnFreePort(handler: http.RequestListener): Promise<RunningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets and deliberately hung requests would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** The token after "Bearer ", or undefined when the header is missing or another scheme. */
export function bearerTokenOf(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Waits `ms`, or until the request's socket closes (the client gave up). */
export function delayUnlessClosed(req: http.IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    req.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

type AsyncHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/**
 * Starts a fake server object: its handler needs the instance and the instance needs the running server,
 * so requests are routed through the instance once it exists. A handler that throws answers 500 with
 * the service's own error body, unless a response has already begun.
 */
export async function startFakeServer<T>(
  create: (running: RunningServer) => T,
  handlerOf: (fake: T) => AsyncHandler,
  internalErrorBody: (error: unknown) => unknown,
): Promise<T> {
  const ref: { current?: T } = {};
  const running = await listenOnFreePort((req, res) => {
    if (ref.current === undefined) return;
    void handlerOf(ref.current)(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, internalErrorBody(error));
    });
  });
  ref.current = create(running);
  return ref.current;
}
