import { randomUUID } from 'node:crypto';
import type { SandboxChannel } from './catalog';
import { signJwt, verifyJwt } from './jwt';

export interface SandboxCustomer {
  userId: string;
  email?: string;
  name?: string;
  surname?: string;
  marketingConsent: boolean;
  accessKey: string;
  activations: Record<string, { activatedAt: string; cancellationDate?: string; price: number }>;
}

export interface ApiError {
  status: number;
  error: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** The simulated Osteocom account: credentials, catalog, customers and issued tokens. */
export class SandboxState {
  customers = new Map<string, SandboxCustomer>();
  /** Bearer tokens issued before this instant (seconds) are refused. */
  notBefore = 0;

  constructor(
    readonly options: { clientId: string; clientSecret: string; jwtSecret: string; bearerTtlSeconds: number; videoTokenTtlSeconds: number },
    public catalog: SandboxChannel[]
  ) {}

  private now = () => Date.now() / 1000;

  login(body: Record<string, unknown>): { token: string } | ApiError {
    if (body.clientId !== this.options.clientId || body.clientSecret !== this.options.clientSecret) {
      return { status: 401, error: 'Not Authorized' };
    }
    const iat = this.now();
    const token = signJwt({ sub: this.options.clientId, iat, exp: Math.floor(iat) + this.options.bearerTtlSeconds, jti: randomUUID() }, this.options.jwtSecret);
    return { token };
  }

  /** A valid bearer for this client whose body names the same clientId. */
  authorized(header: string | undefined, body: Record<string, unknown>): boolean {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    const claims = match ? verifyJwt(match[1], this.options.jwtSecret) : null;
    if (!claims || claims.typ !== undefined) return false;
    if (typeof claims.iat !== 'number' || claims.iat < this.notBefore) return false;
    return claims.sub === this.options.clientId && body.clientId === this.options.clientId;
  }

  expireAllTokens() {
    this.notBefore = this.now() + 0.001;
  }

  private channelOfVideo(videoId: string) {
    return this.catalog.find((channel) => channel.video.some((video) => video.videoId === videoId));
  }

  authorize(body: Record<string, unknown>): { token: string } | ApiError {
    if (!isText(body.userId)) return { status: 400, error: 'userId required' };
    const products = body.products;
    if (!Array.isArray(products) || products.length === 0) return { status: 400, error: 'products required' };
    if (body.marketingConsent === true && !isText(body.email)) return { status: 400, error: 'Email field required' };
    if (body.email !== undefined && (typeof body.email !== 'string' || !EMAIL.test(body.email))) return { status: 403, error: 'Malformed email' };
    for (const product of products as { productId?: unknown }[]) {
      if (!this.catalog.some((channel) => channel.idChannel === product?.productId)) {
        return { status: 400, error: `Unknown product ${String(product?.productId)}` };
      }
    }
    const customer = this.customers.get(body.userId) ?? {
      userId: body.userId,
      marketingConsent: false,
      accessKey: signJwt({ sub: body.userId, typ: 'access', jti: randomUUID() }, this.options.jwtSecret),
      activations: {},
    };
    Object.assign(customer, {
      ...(isText(body.email) ? { email: body.email } : {}),
      ...(isText(body.name) ? { name: body.name } : {}),
      ...(isText(body.surname) ? { surname: body.surname } : {}),
      marketingConsent: body.marketingConsent === true,
    });
    for (const product of products as { productId: string; price?: number }[]) {
      customer.activations[product.productId] = { activatedAt: new Date().toISOString(), price: Number(product.price ?? 0) };
    }
    this.customers.set(customer.userId, customer);
    return { token: customer.accessKey };
  }

  videoAccess(body: Record<string, unknown>): { tokenAuthVideo: string; expiresIn: number } | ApiError {
    const channel = typeof body.videoId === 'string' ? this.channelOfVideo(body.videoId) : undefined;
    if (!channel) return { status: 404, error: 'Video not found' };
    const customer = typeof body.userId === 'string' ? this.customers.get(body.userId) : undefined;
    const activation = customer?.activations[channel.idChannel];
    if (!customer || body.userAccessKey !== customer.accessKey || !activation || activation.cancellationDate) {
      return { status: 401, error: 'Not Authorized' };
    }
    const iat = Math.floor(this.now());
    const ttl = this.options.videoTokenTtlSeconds;
    const tokenAuthVideo = signJwt({ sub: customer.userId, vid: body.videoId, ch: channel.idChannel, iat, exp: iat + ttl, jti: randomUUID() }, this.options.jwtSecret);
    return { tokenAuthVideo, expiresIn: ttl };
  }

  revoke(body: Record<string, unknown>): { userId: string; cancellationDate: string } | ApiError {
    if (!isText(body.userId) || !isText(body.channelId)) return { status: 400, error: 'userId and channelId required' };
    const activation = this.customers.get(body.userId)?.activations[body.channelId];
    if (!activation) return { userId: body.userId, cancellationDate: new Date().toISOString() };
    activation.cancellationDate ??= new Date().toISOString();
    return { userId: body.userId, cancellationDate: activation.cancellationDate };
  }

  verifyVideoToken(token: string): { userId: string; videoId: string; exp: number } | null {
    const claims = verifyJwt(token, this.options.jwtSecret);
    if (!claims || typeof claims.vid !== 'string') return null;
    return { userId: String(claims.sub), videoId: claims.vid, exp: Number(claims.exp) };
  }
}
