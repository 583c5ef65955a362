import type { IncomingMessage } from 'node:http';
import type { SandboxChannel } from './catalog';
import { controlRefusal } from './control-guard';
import { isEndpoint, parseFaultRule } from './faults';
import { fail, isRecord, parseJson, readBody, reply, type Reply } from './http';
import type { Sandbox } from './server';

/** Where other processes (Strapi, a browser test, a benchmark) drive the sandbox; never recorded. */
export const CONTROL_PREFIX = '/__sandbox';

/** PUT /catalog may carry a whole 100,000-video catalog (~20 MB). */
const MAX_CONTROL_BODY = 256 * 1024 * 1024;

const OK = reply(200, { ok: true });

interface Context {
  url: URL;
  json(): Promise<unknown>;
}

class BadRequest extends Error {}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const routes: Record<string, (sandbox: Sandbox, context: Context) => Reply | Promise<Reply>> = {
  'GET /health': (sandbox) =>
    reply(200, { ok: true, url: sandbox.url, channels: sandbox.catalog.length }),
  'GET /requests': (sandbox, { url }) => {
    const endpoint = url.searchParams.get('endpoint');
    if (endpoint !== null && !isEndpoint(endpoint))
      return fail(400, `Unknown endpoint ${endpoint}`);
    return reply(
      200,
      endpoint === null ? sandbox.requests : sandbox.requests.filter((r) => r.endpoint === endpoint)
    );
  },
  'DELETE /requests': (sandbox) => (sandbox.clearRequests(), OK),
  'POST /faults': async (sandbox, { json }) => {
    const rule = parseFaultRule(await json());
    if (typeof rule === 'string') return fail(400, rule);
    sandbox.inject(rule);
    return OK;
  },
  'DELETE /faults': (sandbox) => (sandbox.clearFaults(), OK),
  'POST /release': (sandbox) => reply(200, { ok: true, released: sandbox.release() }),
  'POST /expire-tokens': (sandbox) => (sandbox.expireAllTokens(), OK),
  'POST /reset': (sandbox) => (sandbox.reset(), OK),
  'GET /account': (sandbox) => reply(200, sandbox.account),
  'PUT /account': async (sandbox, { json }) => {
    const account = await json();
    if (
      !isRecord(account) ||
      Object.keys(account).some((key) => key !== 'marketingConsentEnabled') ||
      typeof account.marketingConsentEnabled !== 'boolean'
    )
      return fail(400, 'the account is a JSON object { marketingConsentEnabled: boolean }');
    sandbox.setAccount({ marketingConsentEnabled: account.marketingConsentEnabled });
    return reply(200, sandbox.account);
  },
  'PUT /catalog': async (sandbox, { json }) => {
    const catalog = await json();
    try {
      sandbox.setCatalog(catalog as SandboxChannel[]);
    } catch (error) {
      return fail(400, (error as Error).message);
    }
    return reply(200, { ok: true, channels: sandbox.catalog.length });
  },
};

const decodePathSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** A stand-in player, so demos can point a playerUrl template at the sandbox. */
const player = (sandbox: Sandbox, videoId: string, token: string | null): Reply => {
  const claims = token ? sandbox.verifyVideoToken(token) : null;
  if (!claims || claims.videoId !== videoId) return fail(401, 'Not Authorized');
  const html = `<!doctype html><meta charset="utf-8"><title>Osteocom sandbox player</title><p>playing ${escapeHtml(videoId)}</p>`;
  return { status: 200, body: html, type: 'text/html; charset=utf-8' };
};

/** A stand-in for Osteocom's media (covers, author images): a grey tile naming the file. */
const media = (name: string): Reply => ({
  status: 200,
  body: `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="100%" height="100%" fill="#d9d9e3"/><text x="50%" y="50%" font-family="sans-serif" font-size="12" text-anchor="middle" fill="#32324d">${escapeHtml(name)}</text></svg>`,
  type: 'image/svg+xml',
});

export const handleControl = async (
  sandbox: Sandbox,
  req: IncomingMessage,
  url: URL
): Promise<Reply> => {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  const playing = /^\/player\/([^/]+)$/.exec(path);
  if (playing) {
    if (req.method !== 'GET') return fail(405, 'Method Not Allowed');
    const videoId = decodePathSegment(playing[1]);
    return videoId === undefined
      ? fail(400, 'Malformed video id')
      : player(sandbox, videoId, url.searchParams.get('token'));
  }
  const file = /^\/media\/([a-z]+\/[^/]+)$/.exec(path);
  if (file) return req.method === 'GET' ? media(file[1]) : fail(405, 'Method Not Allowed');
  // Without a token (`control: false`, `--no-control`) only the player and the media above are served.
  if (sandbox.controlToken === undefined) return fail(404, 'Not Found');
  const refusal = controlRefusal(req, sandbox.controlToken);
  if (refusal) return refusal;
  const route = routes[`${req.method} ${path}`];
  if (!route)
    return Object.keys(routes).some((key) => key.endsWith(` ${path}`))
      ? fail(405, 'Method Not Allowed')
      : fail(404, 'Not Found');
  const json = async () => {
    const text = await readBody(req, MAX_CONTROL_BODY);
    const parsed = text === undefined ? undefined : parseJson(text);
    if (!parsed?.ok)
      throw new BadRequest(text === undefined ? 'Body too large' : 'Body must be JSON');
    return parsed.value;
  };
  try {
    return await route(sandbox, { url, json });
  } catch (error) {
    if (error instanceof BadRequest) return fail(400, error.message);
    throw error;
  }
};
