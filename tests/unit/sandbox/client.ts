import { CONTROL_TOKEN_HEADER, type Sandbox } from '../../../sandbox/src';

export type Json = Record<string, unknown>;

export const clientId = 'sandbox-client';
export const clientSecret = 'sandbox-secret';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body ({} when the body is not JSON). */
  body: Json;
}

const parse = (text: string): Json => {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return {};
  }
};

/** Calls an endpoint the way the reference's curl examples do: POST, JSON body, Bearer header. */
export const call = async (
  sb: Sandbox,
  name: string,
  body: unknown,
  token?: string,
  init: RequestInit = {}
): Promise<Answer> => {
  const res = await fetch(`${sb.url}/contentLicensing_${name}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: parse(text) };
};

export const login = async (sb: Sandbox) => {
  const { status, body } = await call(sb, 'login', { clientId, clientSecret });
  expect(status).toBe(200);
  return body.token as string;
};

/** The decoded header and claims of a JWT, without checking it. */
export const decode = (jwt: string) => {
  const [header, claims] = jwt
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json);
  return { header, claims };
};

/** Calls the control API, which lives outside the base path, as the project's own tools do: JSON and the sandbox's token. */
export const control = async (
  sb: Sandbox,
  path: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {}
) => {
  const res = await fetch(`http://127.0.0.1:${sb.port}/__sandbox${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      [CONTROL_TOKEN_HEADER]: sb.controlToken ?? '',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: parse(text) as unknown };
};

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
