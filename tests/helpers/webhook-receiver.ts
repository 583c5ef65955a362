import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery<Body = Record<string, unknown>> {
  event: string;
  header: string | undefined;
  body: Body;
  raw: string;
}

/** A local receiver on 127.0.0.1, as a site's build hook or revalidation endpoint would be. */
export const startWebhookReceiver = async <Body extends Record<string, unknown> = Record<string, unknown>>() => {
  const deliveries: Delivery<Body>[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as Body;
      deliveries.push({ event: String(body.event), header: req.headers['x-strapi-event'] as string | undefined, body, raw });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { deliveries, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((resolve) => server.close(resolve)) };
};
