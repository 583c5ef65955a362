import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';

export interface CaughtRequest {
  /** Where the plugin meant to send it (its Host header). */
  host: string;
  method: string;
  url: string;
  body: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Catches every TLS connection this process opens to a host other than loopback, before a DNS
 * query or a byte leaves: the socket goes to a plain HTTP server on 127.0.0.1 instead, which
 * records the request the plugin would have sent there (its body included) and answers 503. The
 * destination and the body are the observation; nothing reaches a public address.
 */
export const catchOutboundTls = async () => {
  const caught: CaughtRequest[] = [];
  const attempts: { host: string; port: number }[] = [];
  const server = http.createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      caught.push({ host: req.headers.host ?? '', method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(503, { 'Content-Type': 'text/plain', Connection: 'close' }).end('caught in-process by the test');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: trapPort } = server.address() as AddressInfo;

  const original = tls.connect;
  const patched = (...args: unknown[]) => {
    const options = (typeof args[0] === 'object' ? args[0] : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined }) as tls.ConnectionOptions;
    const host = String(options.host ?? 'localhost');
    if (LOOPBACK.has(host)) return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
    attempts.push({ host, port: Number(options.port ?? 443) });
    // A plain socket where a TLS one was expected: the HTTP request is written to it in clear.
    return net.connect(trapPort, '127.0.0.1');
  };
  (tls as { connect: unknown }).connect = patched;

  return {
    caught,
    /** Every connection caught, whether or not a request followed on it. */
    attempts,
    async restore() {
      (tls as { connect: unknown }).connect = original;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
