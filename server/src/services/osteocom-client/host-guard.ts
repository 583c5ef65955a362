import dns, { type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { OsteocomError } from '../../errors';
import { DEFAULT_BASE_URLS } from './base-url';

/**
 * A base URL typed in the admin receives the client secret on the next login, so it may only
 * name a public HTTPS host: every address it resolves to must be outside the ranges below
 * (loopback, private, link-local, cloud metadata, multicast, reserved). An operator who needs a
 * local or plain-HTTP endpoint (the sandbox, a proxy) sets it in config/plugins.ts or the env.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127], // unspecified and loopback
  ['64:ff9b::', 96], // NAT64: likewise
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local, incl. AWS metadata fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/**
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) would reach any IPv4 address: refused whole. (Not a BlockList
 * subnet: BlockList also matches plain IPv4 addresses against it, which would refuse them all.)
 */
const IPV4_MAPPED = /^::ffff:/i;

export const isForbiddenAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && IPV4_MAPPED.test(address)) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

const notAllowed = (reason: string, status?: number) =>
  new OsteocomError('BASE_URL_NOT_ALLOWED', `This base URL is not allowed: ${reason}. An admin may only set a public https:// address; a local or http:// one (the sandbox, a proxy) must come from config/plugins.ts or OSTEOCOM_BASE_URL.`, {
    status,
  });

const OSTEOCOM_ORIGINS = new Set(Object.values(DEFAULT_BASE_URLS).map((url) => new URL(url).origin));

/** Osteocom's own documented hosts (test, production): always allowed, never guarded. */
export const isOsteocomHost = (baseUrl: string): boolean => {
  try {
    return OSTEOCOM_ORIGINS.has(new URL(baseUrl).origin);
  } catch {
    return false;
  }
};

/** `[::1]` → `::1`: URL keeps the brackets of an IPv6 literal. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** What can be decided without DNS: the scheme, no credentials, and an IP literal's range. */
const checkShape = (baseUrl: string, status?: number): URL => {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw notAllowed('it is not a URL', status);
  }
  if (url.protocol !== 'https:') throw notAllowed('only https:// is accepted', status);
  if (url.username || url.password) throw notAllowed('it must not carry a user name or password', status);
  const host = hostOf(url);
  if (isIP(host) && isForbiddenAddress(host)) throw notAllowed(`${host} is a loopback, private, link-local or reserved address`, status);
  return url;
};

type LookupAll = (hostname: string, options: LookupAllOptions) => Promise<LookupAddress[]>;

const lookupAll: LookupAll = (hostname, options) => dns.promises.lookup(hostname, options);

/**
 * Every address the URL's name resolves to now. At save time (400), and again before each call
 * (503), so a stored URL whose name now points inside is refused with a clear code. A name that
 * does not resolve is refused too: a typo or a name parked for later is caught at once.
 */
export const assertAllowedBaseUrl = async (baseUrl: string, options: { status?: number; lookup?: LookupAll } = {}): Promise<void> => {
  const { status, lookup = lookupAll } = options;
  const url = checkShape(baseUrl, status);
  const host = hostOf(url);
  if (isIP(host)) return;
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw notAllowed(`the host name ${host} does not resolve`, status);
  }
  const forbidden = addresses.find(({ address }) => isForbiddenAddress(address));
  if (forbidden) throw notAllowed(`${host} resolves to ${forbidden.address}, a loopback, private, link-local or reserved address`, status);
};

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The socket's own DNS lookup for admin-typed hosts: the addresses are checked where the
 * connection is made, so a name that resolved to a public address at save time and to an
 * internal one now (DNS rebinding) never gets a connection.
 */
export const guardedLookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const forbidden = addresses.find(({ address }) => isForbiddenAddress(address));
    if (forbidden) {
      const refusal: NodeJS.ErrnoException = new Error('BASE_URL_NOT_ALLOWED');
      refusal.code = 'BASE_URL_NOT_ALLOWED';
      return callback(refusal, []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};
