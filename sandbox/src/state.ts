import { randomBytes, randomUUID } from 'node:crypto';
import { assertCatalog, type SandboxChannel } from './catalog';
import { fail, NOT_AUTHORIZED, reply, type Reply } from './http';
import { nowSeconds, signJwt, verifyJwt } from './jwt';

export interface SandboxActivation {
  activatedAt: string;
  /** Set once the activation is revoked; cleared when the channel is authorized again. */
  cancellationDate?: string;
  price: number;
}

/** The sandbox's record of a customer, as `sandbox.customer(userId)` returns it (a copy). */
export interface SandboxCustomer {
  userId: string;
  email?: string;
  name?: string;
  surname?: string;
  marketingConsent: boolean;
  accessKey: string;
  activations: Record<string, SandboxActivation>;
}

export interface VideoTokenClaims {
  userId: string;
  videoId: string;
  /** Seconds since the epoch. */
  exp: number;
}

/**
 * How the Osteocom account is configured. The reference: email "becomes mandatory if marketing
 * consent is enabled for your account" — a property of the account, not of the customer's flag.
 * Off by default: the reference's own authorization example sends neither email nor consent and
 * is answered 200, so a default sandbox must accept it; the 400 "Email field required" is one
 * switch away (SandboxOptions, `--marketing-consent on`, `PUT /__sandbox/account`).
 */
export interface SandboxAccount {
  marketingConsentEnabled: boolean;
}

export interface StateOptions {
  clientId: string;
  clientSecret: string;
  jwtSecret: string;
  bearerTtlSeconds: number;
  videoTokenTtlSeconds: number;
  /** The account as it starts; setAccount() changes this state's copy only. */
  account: SandboxAccount;
}

type Body = Record<string, unknown>;

/** What a state file keeps across restarts: the account and every customer with its activations. */
export interface SandboxSnapshot {
  account: SandboxAccount;
  customers: SandboxCustomer[];
}

interface Customer extends Omit<SandboxCustomer, 'activations'> {
  /** A Map, so that a channelId such as `__proto__` from a request cannot reach Object.prototype. */
  activations: Map<string, SandboxActivation>;
}

/** Close to what mail servers accept; enough to tell a typo from an address. */
const EMAIL = /^[^\s@]+@([^\s@.]+\.)+[^\s@.]{2,}$/;

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;
const isAbsent = (value: unknown) => value === undefined || value === null || value === '';
const isPrice = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const nowIso = () => new Date().toISOString();

/** Channels the sandbox owns: deep-frozen, so the lookup indexes and the cached response never go stale. */
const owned = new WeakSet<SandboxChannel>();

const freeze = (channel: SandboxChannel) => {
  channel.authors?.forEach((author) => Object.freeze(author));
  channel.video.forEach((video) => Object.freeze(video));
  Object.freeze(channel.authors);
  Object.freeze(channel.video);
  owned.add(Object.freeze(channel));
  return channel;
};

/** Channels from callers are copied first: they stay free to change their own objects. */
const own = (channel: SandboxChannel) =>
  owned.has(channel) ? channel : freeze(structuredClone(channel));

/** For channels nobody else holds (just generated): frozen in place, saving a copy of a large catalog. */
export const adoptCatalog = (channels: SandboxChannel[]) => channels.map(freeze);

/** The simulated Osteocom account: its catalog, customers and the tokens it issued. */
export class SandboxState {
  private readonly customers = new Map<string, Customer>();
  /** Every bearer's jti starts with this; expireAllTokens() changes it, so all earlier bearers fail. */
  private bearerEpoch = randomBytes(6).toString('hex');
  private channels: readonly SandboxChannel[] = [];
  private channelById = new Map<string, SandboxChannel>();
  private channelByVideo = new Map<string, SandboxChannel>();
  /** The catalog response, serialized once per catalog change (a 100,000-video catalog is ~20 MB). */
  private catalogReply: Reply | undefined;
  private accountConfig: SandboxAccount;

  constructor(
    private readonly options: StateOptions,
    catalog: SandboxChannel[]
  ) {
    this.setCatalog(catalog);
    this.accountConfig = { ...options.account };
  }

  get account(): SandboxAccount {
    return { ...this.accountConfig };
  }

  setAccount(account: SandboxAccount) {
    this.accountConfig = { marketingConsentEnabled: account.marketingConsentEnabled };
  }

  get catalog(): SandboxChannel[] {
    return this.channels as SandboxChannel[];
  }

  setCatalog(channels: SandboxChannel[]) {
    this.channels = Object.freeze(assertCatalog(channels).map(own));
    this.channelById = new Map(this.channels.map((channel) => [channel.idChannel, channel]));
    this.channelByVideo = new Map(
      this.channels.flatMap((channel) =>
        channel.video.map((video) => [video.videoId, channel] as const)
      )
    );
    this.catalogReply = undefined;
  }

  updateChannel(idChannel: string, patch: Partial<SandboxChannel>) {
    this.channelOrThrow(idChannel);
    // idChannel is the key: a patch changes a channel, never turns it into another one.
    this.setCatalog(
      this.channels.map((channel) =>
        channel.idChannel === idChannel ? { ...channel, ...patch, idChannel } : channel
      )
    );
  }

  removeChannel(idChannel: string) {
    this.channelOrThrow(idChannel);
    this.setCatalog(this.channels.filter((channel) => channel.idChannel !== idChannel));
  }

  addChannel(channel: SandboxChannel) {
    this.setCatalog([...this.channels, channel]);
  }

  private channelOrThrow(idChannel: string) {
    if (!this.channelById.has(idChannel))
      throw new Error(`The sandbox catalog has no channel ${idChannel}`);
  }

  expireAllTokens() {
    this.bearerEpoch = randomBytes(6).toString('hex');
  }

  login(body: Body): Reply {
    const { clientId, clientSecret, bearerTtlSeconds, jwtSecret } = this.options;
    if (body.clientId !== clientId || body.clientSecret !== clientSecret) return NOT_AUTHORIZED;
    const now = nowSeconds();
    // exp is rounded up so a bearer never lives shorter than promised.
    const claims = {
      sub: clientId,
      iat: Math.floor(now),
      exp: Math.ceil(now + bearerTtlSeconds),
      jti: `${this.bearerEpoch}.${randomUUID()}`,
    };
    return reply(200, { token: signJwt(claims, jwtSecret) });
  }

  /** A live bearer from the latest epoch, for this client, with the same clientId in the body. */
  authorized(header: string | undefined, body: Body): boolean {
    const token = /^Bearer +(\S+)$/i.exec(header ?? '')?.[1];
    const claims = token === undefined ? null : verifyJwt(token, this.options.jwtSecret);
    if (!claims || typeof claims.jti !== 'string' || !claims.jti.startsWith(`${this.bearerEpoch}.`))
      return false;
    return claims.sub === this.options.clientId && body.clientId === this.options.clientId;
  }

  catalogResponse(): Reply {
    this.catalogReply ??= reply(200, { catalog: this.channels });
    return this.catalogReply;
  }

  authorize(body: Body): Reply {
    const invalid = this.authorizationError(body);
    if (invalid) return invalid;
    const userId = body.userId as string;
    const customer = this.customers.get(userId) ?? this.createCustomer(userId);
    if (!isAbsent(body.email)) customer.email = body.email as string;
    if (isText(body.name)) customer.name = body.name;
    if (isText(body.surname)) customer.surname = body.surname;
    // "Defaults to false" is the value of a new customer; an omitted flag changes nothing stored.
    if (typeof body.marketingConsent === 'boolean')
      customer.marketingConsent = body.marketingConsent;
    for (const { productId, price } of body.products as { productId: string; price: number }[]) {
      const current = customer.activations.get(productId);
      // Authorizing an active channel again changes nothing (it keeps its activatedAt and price):
      // the reference promises only that a userId is reused. A revoked one becomes active again.
      if (!current || current.cancellationDate)
        customer.activations.set(productId, { activatedAt: nowIso(), price });
    }
    return reply(200, { token: customer.accessKey });
  }

  /**
   * Checks in the order Osteocom documents them: required fields, email rules, then products.
   * Only 400 "Email field required" and 403 "Malformed email" are documented; the other refusals
   * are the sandbox's guesses at what a real API would say to a broken request.
   */
  private authorizationError(body: Body): Reply | undefined {
    if (!isText(body.userId)) return fail(400, 'userId required');
    const products: unknown = body.products;
    if (!Array.isArray(products) || products.length === 0) return fail(400, 'products required');
    if (body.marketingConsent !== undefined && typeof body.marketingConsent !== 'boolean')
      return fail(400, 'marketingConsent must be a boolean');
    if (this.accountConfig.marketingConsentEnabled && isAbsent(body.email))
      return fail(400, 'Email field required');
    if (!isAbsent(body.email) && (typeof body.email !== 'string' || !EMAIL.test(body.email)))
      return fail(403, 'Malformed email');
    for (const product of products as { productId?: unknown; price?: unknown }[]) {
      const productId =
        typeof product === 'object' && product !== null ? product.productId : undefined;
      if (typeof productId !== 'string' || !this.channelById.has(productId))
        return fail(400, `Unknown product ${String(productId)}`);
      if (!isPrice(product.price)) return fail(400, `Invalid price for product ${productId}`);
    }
    return undefined;
  }

  private createCustomer(userId: string): Customer {
    // Generated once per customer: the access key stays the same for every later authorization.
    const accessKey = signJwt(
      { sub: userId, typ: 'access', jti: randomUUID() },
      this.options.jwtSecret
    );
    const customer: Customer = {
      userId,
      marketingConsent: false,
      accessKey,
      activations: new Map(),
    };
    this.customers.set(userId, customer);
    return customer;
  }

  videoAccess(body: Body): Reply {
    const channel =
      typeof body.videoId === 'string' ? this.channelByVideo.get(body.videoId) : undefined;
    if (!channel) return fail(404, 'Video not found');
    const customer = typeof body.userId === 'string' ? this.customers.get(body.userId) : undefined;
    const activation = customer?.activations.get(channel.idChannel);
    if (
      !customer ||
      body.userAccessKey !== customer.accessKey ||
      !activation ||
      activation.cancellationDate
    )
      return NOT_AUTHORIZED;
    const ttl = this.options.videoTokenTtlSeconds;
    const iat = Math.floor(nowSeconds());
    const claims = {
      sub: customer.userId,
      vid: body.videoId,
      ch: channel.idChannel,
      iat,
      exp: iat + ttl,
    };
    return reply(200, { tokenAuthVideo: signJwt(claims, this.options.jwtSecret), expiresIn: ttl });
  }

  revoke(body: Body): Reply {
    if (!isText(body.userId) || !isText(body.channelId))
      return fail(400, 'channelId and userId required');
    const activation = this.customers.get(body.userId)?.activations.get(body.channelId);
    // Osteocom documents only 200: an unknown customer or channel is answered the same, recording
    // nothing. A repeated revocation answers the first cancellationDate again (the reference says
    // only "when the revocation took effect"; the plugin must not rely on either choice).
    const cancellationDate = activation ? (activation.cancellationDate ??= nowIso()) : nowIso();
    return reply(200, { userId: body.userId, cancellationDate });
  }

  verifyVideoToken(token: string): VideoTokenClaims | null {
    const claims = verifyJwt(token, this.options.jwtSecret);
    if (
      !claims ||
      typeof claims.sub !== 'string' ||
      typeof claims.vid !== 'string' ||
      typeof claims.exp !== 'number'
    )
      return null;
    return { userId: claims.sub, videoId: claims.vid, exp: claims.exp };
  }

  snapshot(): SandboxSnapshot {
    return { account: this.account, customers: [...this.customers.keys()].map((userId) => this.customer(userId)!) };
  }

  restore(snapshot: SandboxSnapshot) {
    this.setAccount(snapshot.account);
    for (const customer of snapshot.customers) {
      this.customers.set(customer.userId, { ...customer, activations: new Map(Object.entries(customer.activations)) });
    }
  }

  customer(userId: string): SandboxCustomer | undefined {
    const customer = this.customers.get(userId);
    if (!customer) return undefined;
    const activations = Object.fromEntries(
      [...customer.activations].map(([id, activation]) => [id, { ...activation }])
    );
    return { ...customer, activations };
  }
}
