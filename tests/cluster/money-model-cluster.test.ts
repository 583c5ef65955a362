/**
 * Issue 23, "Must show": the model-based test of the money path on two Strapi processes sharing
 * one database (TEST_DATABASE: postgres by default, or mysql), with one sandbox as Osteocom.
 * fast-check generates what shops, editors, Osteocom and deploys do, each routed to server A or B:
 * purchases (re-sent by the shop), refunds, editors' re-sends, bulk files, erasures, video-token
 * checks; a call held on the wire while the other server takes the opposite intent; `kill -9` or
 * SIGTERM of a server while its call is on the wire, then a restart; time-limited accesses whose
 * renewal races the expiry pass (the expiry's revocation held at Osteocom widens the window);
 * Osteocom answering 5xx, late, after the caller gave up, or without its optional fields.
 * Server B runs in another time zone than A (MODEL_TZ=0 puts both in UTC).
 *
 * After every sequence: with Osteocom refusing every call for a while, each unconfirmed row is
 * listed under Needs attention on both servers once the alert time has passed; then quiescence
 * (faults off, holds released, the outbox's cron on both servers until nothing is pending) and
 * the shop's latest intent must hold here and at Osteocom: local == Osteocom, a paying customer
 * gets a video token on either server, a refunded one does not and Osteocom holds nothing; the
 * report's tallies kept by both servers equal the ledger summed.
 *
 * Reproducible: MODEL_SEED (default 20261206), MODEL_RUNS (random sequences after the fixed
 * ones, default 2), MODEL_MAX_COMMANDS (default 6); a failure prints the seed and the path
 * to replay (MODEL_PATH). Longer runs: docs/TESTING.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { createSandbox, generateCatalog, type Sandbox, type SandboxEndpoint } from '../../sandbox/src';
import { customerDays, dayOf } from '../../server/src/repositories/access-tally-repository';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../helpers/database';
import { connectTo } from '../helpers/db-inspect';
import { ROOT_DIR } from '../helpers/paths';
import { sleep, waitFor } from '../helpers/wait';
import { startServer, stopServer, type Server } from './servers';

const SEED = Number(process.env.MODEL_SEED ?? 20261206);
const RUNS = Number(process.env.MODEL_RUNS ?? 2);
const MAX_COMMANDS = Number(process.env.MODEL_MAX_COMMANDS ?? 6);
/** Server B in another zone than A: stored instants must not depend on a server's TZ. */
const ZONES = process.env.MODEL_TZ === '0' ? ['UTC', 'UTC'] : ['UTC', 'Pacific/Kiritimati'];

jest.setTimeout(30 * 60_000);

const ADMIN = { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' };
const ALERT_SECONDS = 2;
/** The client gives up after 2 s; a call may land until 4 × that after it left (access.ts, firstRetryAt). */
const TIMEOUT_MS = 2_000;
const PLUGIN_CONFIG = {
  sync: { onStartup: false, enabled: false },
  // The outbox (with the expiry pass) every second on each server, one at a time by the lease.
  outbox: { cron: '* * * * * *', backoffBaseSeconds: 1, backoffMaxSeconds: 2, alertAfterSeconds: ALERT_SECONDS, leaseSeconds: 5 },
  http: { timeoutMs: TIMEOUT_MS, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 },
  videoToken: { rateLimit: { max: 100_000, windowSeconds: 60 } },
};
const SERVER_NAMES = ['A', 'B'];
const CUSTOMERS = 2;
const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const CHANNELS = catalog.map((channel) => channel.idChannel);
const VIDEOS = catalog.map((channel) => channel.video[0].videoId);
/** How long a time-limited access lasts before its renewal races the expiry pass. */
const LIMITED_MS = 3_000;
/** Renewal periods: a day pass (2 h: shorter than the 14 h between A's and B's zones) or a year. */
const RENEWAL_HOURS = [2, 365 * 24];

type Intent = 'never' | 'authorized' | 'refunded';
interface Model {
  intents: Intent[][];
}
type Op = { kind: 'authorize'; products: number[]; accessUntil?: string } | { kind: 'revoke'; channel: number } | { kind: 'resend'; channel: number };

interface Customer {
  userId: string;
  jwt: string;
}

interface Reply {
  status: number;
  body: { data?: Record<string, unknown> & { results?: { outcome: string; code?: string }[] }; error?: { details?: { code?: string } } } | null;
}

interface World {
  sandbox: Sandbox;
  database: TestDatabase;
  knex: Knex;
  /** An editor's session per server (see beforeAll). */
  admins: string[];
  /** Index 0 is A, 1 is B; a restart replaces the entry. */
  servers: Server[];
  /** Every process ever started, to stop and keep the logs of. */
  started: Server[];
}

interface Real {
  world: World;
  customers: Customer[];
}

const channelName = (channel: number) => 'XY'[channel];
const opName = (op: Op) =>
  op.kind === 'authorize'
    ? `purchase[${op.products.map(channelName).join(',')}]${op.accessUntil ? ' until later' : ''}`
    : `${op.kind}(${channelName(op.channel)})`;

// ---------------------------------------------------------------------------------------------
// The model.

const initialModel = (): Model => ({ intents: Array.from({ length: CUSTOMERS }, () => CHANNELS.map((): Intent => 'never')) });

const allowedStatuses = (model: Model, customer: number, op: Op): number[] => {
  if (op.kind === 'authorize') return [200, 202];
  return model.intents[customer][op.channel] === 'never' ? [404] : [200, 202];
};

const applyOp = (model: Model, customer: number, op: Op) => {
  if (op.kind === 'authorize') for (const product of op.products) model.intents[customer][product] = 'authorized';
  if (op.kind === 'revoke' && model.intents[customer][op.channel] !== 'never') model.intents[customer][op.channel] = 'refunded';
};

/** The Osteocom endpoint a call of `op` reaches, given the intent before it. */
const endpointOf = (model: Model, customer: number, op: Op): SandboxEndpoint =>
  op.kind === 'revoke' || (op.kind === 'resend' && model.intents[customer][op.channel] === 'refunded') ? 'revocateActivation' : 'contentAccessAuthorization';

// ---------------------------------------------------------------------------------------------
// Driving the servers.

const call = async (server: Server, method: string, url: string, body?: unknown, token?: string): Promise<Reply> => {
  try {
    const res = await fetch(`${server.base}${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : null };
  } catch {
    // The server went away mid-call (killed or stopped): the shop saw no answer.
    return { status: 0, body: null };
  }
};

const emailOf = (userId: string) => `${userId.toLowerCase()}@example.com`;

const send = (world: World, server: number, userId: string, op: Op) => {
  if (op.kind === 'authorize') {
    const products = op.products.map((product) => ({ productId: CHANNELS[product], ...(op.accessUntil ? { accessUntil: op.accessUntil } : {}) }));
    return call(world.servers[server], 'POST', '/osteocom/authorizations', { userId, email: emailOf(userId), marketingConsent: true, products }, world.admins[server]);
  }
  const route = op.kind === 'revoke' ? '/osteocom/revocations' : '/osteocom/entitlements/resend';
  return call(world.servers[server], 'POST', route, { userId, channelId: CHANNELS[op.channel] }, world.admins[server]);
};

const checkReply = (reply: Reply, allowed: number[], label: string) => {
  if (!allowed.includes(reply.status)) throw new Error(`${label} answered ${reply.status} ${JSON.stringify(reply.body)}; expected one of ${allowed.join(', ')}`);
};

/** The shop sends `op`; with no answer at all (the server went away) it sends it again to the other server, as a shop retries. */
const shopSends = async (world: World, server: number, userId: string, op: Op, allowed: number[], label: string, first?: Promise<Reply>) => {
  let reply = await (first ?? send(world, server, userId, op));
  if (reply.status === 0) reply = await send(world, 1 - server, userId, op);
  checkReply(reply, allowed, label);
  return reply;
};

type Row = {
  customer_key: string;
  channel_key: string;
  status: string;
  pending_operation: string | null;
  needs_reconciliation: boolean | number;
  access_until: unknown;
};

const rowsOf = async (world: World, userIds: string[]) => (await world.knex('osteocom_entitlements').whereIn('customer_key', userIds)) as Row[];
const rowOf = async (world: World, userId: string, channel: number) =>
  ((await world.knex('osteocom_entitlements').where({ customer_key: userId, channel_key: CHANNELS[channel] }).first()) ?? null) as Row | null;

const restartServer = async (world: World, index: number) => {
  world.servers[index] = await startServer(SERVER_NAMES[index], {
    database: world.database,
    sandbox: world.sandbox,
    pluginConfig: PLUGIN_CONFIG,
    started: world.started,
    env: { TZ: ZONES[index] },
  });
};

/** Until no request is held or delayed at Osteocom. */
const untilQuiet = (world: World) => waitFor('no request in flight at Osteocom', () => world.sandbox.inFlight() === 0, { timeoutMs: 30_000, intervalMs: 20 });

/** Until a call is on the wire at `endpoint`, or `answered` (the request had nothing to send). */
const untilOnTheWire = (world: World, endpoint: SandboxEndpoint, answered: () => boolean) =>
  waitFor(`a call on the wire at ${endpoint}`, () => world.sandbox.inFlight(endpoint) > 0 || answered(), { timeoutMs: 30_000, intervalMs: 10 });

const tracked = (reply: Promise<Reply>) => {
  const state = { done: false, reply };
  void reply.then(() => (state.done = true));
  return state;
};

// ---------------------------------------------------------------------------------------------
// Commands.

/** What each sequence did, written to test-results/cluster-money-model-sequences.log. */
const trace: string[] = [];

abstract class ClusterCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  abstract execute(model: Model, real: Real): Promise<void>;
  abstract toString(): string;
  async run(model: Model, real: Real) {
    const started = Date.now();
    trace.push(`  ${this.toString()}`);
    await this.execute(model, real);
    trace[trace.length - 1] += ` (${Date.now() - started} ms)`;
  }
}

const serverName = (server: number) => SERVER_NAMES[server];

/** A purchase, refund or editor's re-send on one server. */
class Call extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly op: Op,
    readonly server: number
  ) {
    super();
  }
  async execute(model: Model, { world, customers }: Real) {
    const allowed = allowedStatuses(model, this.customer, this.op);
    applyOp(model, this.customer, this.op);
    await shopSends(world, this.server, customers[this.customer].userId, this.op, allowed, this.toString());
  }
  toString() {
    return `${opName(this.op)} for customer ${this.customer} on ${serverName(this.server)}`;
  }
}

/** A bulk file of purchases or of refunds on one server: one row per customer × channel. */
class Bulk extends ClusterCommand {
  constructor(
    readonly kind: 'authorize' | 'revoke',
    readonly rows: { customer: number; channel: number }[],
    readonly server: number
  ) {
    super();
  }
  async execute(model: Model, { world, customers }: Real) {
    const before = this.rows.map(({ customer, channel }) => model.intents[customer][channel]);
    const rows = this.rows.map(({ customer, channel }) => {
      const { userId } = customers[customer];
      return this.kind === 'authorize' ? { userId, email: emailOf(userId), marketingConsent: true, productId: CHANNELS[channel] } : { userId, channelId: CHANNELS[channel] };
    });
    for (const { customer, channel } of this.rows) applyOp(model, customer, this.kind === 'authorize' ? { kind: 'authorize', products: [channel] } : { kind: 'revoke', channel });
    const route = this.kind === 'authorize' ? '/osteocom/authorizations/bulk' : '/osteocom/revocations/bulk';
    let reply = await call(world.servers[this.server], 'POST', route, { rows }, world.admins[this.server]);
    if (reply.status === 0) reply = await call(world.servers[1 - this.server], 'POST', route, { rows }, world.admins[1 - this.server]);
    checkReply(reply, [200], this.toString());
    const results = reply.body?.data?.results ?? [];
    results.forEach((result, i) => {
      const never = before[i] === 'never' && this.kind === 'revoke';
      const fine = never
        ? result.outcome === 'refused' && result.code === 'ENTITLEMENT_NOT_FOUND'
        : this.kind === 'authorize'
          ? ['active', 'pending'].includes(result.outcome)
          : ['revoked', 'pending'].includes(result.outcome);
      if (!fine) throw new Error(`${this.toString()}: row ${i} answered ${JSON.stringify(result)}`);
    });
  }
  toString() {
    return `bulk ${this.kind} [${this.rows.map(({ customer, channel }) => `${customer}×${channelName(channel)}`).join(', ')}] on ${serverName(this.server)}`;
  }
}

/** An editor erases the customer's personal data (refused while a purchase of theirs is pending). */
class Erase extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly server: number
  ) {
    super();
  }
  async execute(_model: Model, { world, customers }: Real) {
    const reply = await call(world.servers[this.server], 'POST', `/osteocom/customers/${customers[this.customer].userId}/erase`, {}, world.admins[this.server]);
    checkReply(reply, [200, 404, 409], this.toString());
  }
  toString() {
    return `erase customer ${this.customer} on ${serverName(this.server)}`;
  }
}

/** What may play now: a refunded or never-bought channel never; a paid one whose row is active always (Osteocom may omit `expiresIn`). */
class TokenCheck extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly channel: number,
    readonly server: number,
    readonly omitExpiresIn: boolean
  ) {
    super();
  }
  async execute(model: Model, { world, customers }: Real) {
    const customer = customers[this.customer];
    if (this.omitExpiresIn) world.sandbox.inject({ endpoint: 'videoAccess', omit: ['expiresIn'], match: { userId: customer.userId } });
    const row = await rowOf(world, customer.userId, this.channel);
    const reply = await call(world.servers[this.server], 'POST', '/api/osteocom/video-token', { videoId: VIDEOS[this.channel] }, customer.jwt);
    const intent = model.intents[this.customer][this.channel];
    if (intent !== 'authorized' && reply.status === 200) throw new Error(`${this.toString()}: a ${intent} channel played`);
    if (intent === 'authorized' && row?.status === 'active' && reply.status !== 200) throw new Error(`${this.toString()}: a paid, active channel answered ${reply.status} ${JSON.stringify(reply.body)}`);
    if (reply.status >= 500) throw new Error(`${this.toString()}: answered ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  toString() {
    return `video token of customer ${this.customer} × ${channelName(this.channel)} on ${serverName(this.server)}${this.omitExpiresIn ? ' (no expiresIn)' : ''}`;
  }
}

type Fault =
  | { kind: 'burst'; endpoint: SandboxEndpoint; times: number }
  | { kind: 'late' | 'gaveUp'; endpoint: SandboxEndpoint; phase: 'before' | 'after' }
  | { kind: 'noCancellationDate' };

/** Osteocom misbehaving for the customer's next call(s): 503s, an answer late but in time, one after the client gave up, a reply without its optional field. */
class InjectFault extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly fault: Fault
  ) {
    super();
  }
  async execute(_model: Model, { world, customers }: Real) {
    const match = { userId: customers[this.customer].userId };
    const { fault } = this;
    if (fault.kind === 'burst') world.sandbox.inject({ endpoint: fault.endpoint, status: 503, times: fault.times, match });
    if (fault.kind === 'late') world.sandbox.inject({ endpoint: fault.endpoint, latencyMs: TIMEOUT_MS / 2, latencyPhase: fault.phase, match });
    if (fault.kind === 'gaveUp') world.sandbox.inject({ endpoint: fault.endpoint, latencyMs: TIMEOUT_MS + 500, latencyPhase: fault.phase, match });
    if (fault.kind === 'noCancellationDate') world.sandbox.inject({ endpoint: 'revocateActivation', omit: ['cancellationDate'], match });
  }
  toString() {
    const { fault } = this;
    const what = fault.kind === 'noCancellationDate' ? 'revocation without cancellationDate' : `${fault.endpoint}: ${fault.kind === 'burst' ? `${fault.times}× 503` : `${fault.kind} (${fault.phase})`}`;
    return `fault for customer ${this.customer}: ${what}`;
  }
}

/**
 * A call held on the wire at Osteocom (applied at once and answered late, or applied late) while
 * the other server takes the next call of the same customer; then Osteocom lets the first go on.
 */
class Crossing extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly first: Op,
    readonly second: Op,
    readonly phase: 'before' | 'after',
    readonly server: number
  ) {
    super();
  }
  async execute(model: Model, { world, customers }: Real) {
    const { userId } = customers[this.customer];
    const endpoint = endpointOf(model, this.customer, this.first);
    world.sandbox.inject({ endpoint, hold: true, latencyPhase: this.phase, match: { userId } });
    const firstAllowed = allowedStatuses(model, this.customer, this.first);
    applyOp(model, this.customer, this.first);
    const first = tracked(send(world, this.server, userId, this.first));
    await untilOnTheWire(world, endpoint, () => first.done);
    trace.push(`    first ${first.done ? 'answered without a call held' : 'held on the wire'}`);
    const secondAllowed = allowedStatuses(model, this.customer, this.second);
    applyOp(model, this.customer, this.second);
    try {
      await shopSends(world, 1 - this.server, userId, this.second, secondAllowed, `${opName(this.second)} (second of ${this.toString()})`);
    } finally {
      world.sandbox.release();
      world.sandbox.clearFaults();
    }
    await shopSends(world, this.server, userId, this.first, firstAllowed, `${opName(this.first)} (first of ${this.toString()})`, first.reply);
  }
  toString() {
    return `crossing for customer ${this.customer}: ${opName(this.first)} on ${serverName(this.server)} held (${this.phase}) | ${opName(this.second)} on ${serverName(1 - this.server)}`;
  }
}

/**
 * A server stopped while its call is on the wire — `kill -9`, or SIGTERM (a deploy) with Osteocom
 * answering within the grace period or not — then started again. The shop, seeing no answer,
 * sends the same call to the other server.
 */
class StopWhileOnTheWire extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly op: Op,
    readonly server: number,
    readonly signal: 'SIGKILL' | 'SIGTERM',
    readonly phase: 'before' | 'after'
  ) {
    super();
  }
  async execute(model: Model, { world, customers }: Real) {
    const { userId } = customers[this.customer];
    const endpoint = endpointOf(model, this.customer, this.op);
    world.sandbox.inject({ endpoint, hold: true, latencyPhase: this.phase, match: { userId } });
    const allowed = allowedStatuses(model, this.customer, this.op);
    applyOp(model, this.customer, this.op);
    const server = world.servers[this.server];
    const pending = tracked(send(world, this.server, userId, this.op));
    await untilOnTheWire(world, endpoint, () => pending.done);
    trace.push(`    ${pending.done ? 'answered without a call held' : 'held on the wire'} when stopped`);
    server.child.kill(this.signal);
    // A deploy's call applied late ('before') lands and is answered within the grace period; one
    // already applied ('after') is answered once the server has gone. After kill -9 either lands
    // or is answered once the process is gone — within the bound of a call (4 × the timeout).
    if (this.signal === 'SIGTERM' && this.phase === 'before') world.sandbox.release();
    await server.exited;
    world.sandbox.release();
    world.sandbox.clearFaults();
    await shopSends(world, this.server, userId, this.op, allowed, this.toString(), pending.reply);
    await restartServer(world, this.server);
  }
  toString() {
    return `${this.signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'} ${serverName(this.server)} while ${opName(this.op)} for customer ${this.customer} is held (${this.phase}), then restart`;
  }
}

/**
 * A time-limited access renewed as it ends: bought on one server until a few seconds from now,
 * renewed for a year on the other, either while the expiry pass's revocation is held at
 * Osteocom, after the expiry settled, or just as the access ends (racing the cron's pass).
 */
type RenewalMode = 'during-expiry-call' | 'after-expiry' | 'at-expiry';

class LimitedRenewal extends ClusterCommand {
  constructor(
    readonly customer: number,
    readonly channel: number,
    readonly mode: RenewalMode,
    readonly server: number,
    readonly renewalHours: number
  ) {
    super();
  }
  async execute(model: Model, { world, customers }: Real) {
    const { userId } = customers[this.customer];
    // Starts from a settled row: nothing held, nothing pending for this channel.
    world.sandbox.clearFaults();
    await untilQuiet(world);
    await waitFor(`customer ${this.customer} × ${channelName(this.channel)} settled`, async () => !(await rowOf(world, userId, this.channel))?.pending_operation, { timeoutMs: 60_000, intervalMs: 100 });
    const endsAt = Date.now() + LIMITED_MS;
    const limited: Op = { kind: 'authorize', products: [this.channel], accessUntil: new Date(endsAt).toISOString() };
    applyOp(model, this.customer, limited);
    await shopSends(world, this.server, userId, limited, [200], `${opName(limited)} (${this.toString()})`);
    if (this.mode === 'during-expiry-call') world.sandbox.inject({ endpoint: 'revocateActivation', hold: true, match: { userId } });
    await sleep(Math.max(0, endsAt - Date.now()));
    if (this.mode === 'during-expiry-call') await untilOnTheWire(world, 'revocateActivation', () => false);
    if (this.mode === 'after-expiry')
      await waitFor('the expiry pass to revoke the access', async () => {
        const row = await rowOf(world, userId, this.channel);
        return row?.status === 'revoked' && !row.pending_operation;
      }, { timeoutMs: 60_000, intervalMs: 100 });
    const renewal: Op = { kind: 'authorize', products: [this.channel], accessUntil: new Date(Date.now() + this.renewalHours * 3_600_000).toISOString() };
    try {
      await shopSends(world, 1 - this.server, userId, renewal, [200, 202], `renewal (${this.toString()})`);
    } finally {
      world.sandbox.release();
      world.sandbox.clearFaults();
    }
  }
  toString() {
    return `customer ${this.customer} × ${channelName(this.channel)} bought for ${LIMITED_MS / 1000} s on ${serverName(this.server)}, renewed for ${this.renewalHours} h on ${serverName(1 - this.server)} ${this.mode}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Generators.

const customerArb = fc.integer({ min: 0, max: CUSTOMERS - 1 });
const channelArb = fc.integer({ min: 0, max: CHANNELS.length - 1 });
const serverArb = fc.integer({ min: 0, max: 1 });
const phaseArb = fc.constantFrom<'before' | 'after'>('before', 'after');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.uniqueArray(channelArb, { minLength: 1, maxLength: 2 }).map((products): Op => ({ kind: 'authorize', products })) },
  { weight: 2, arbitrary: channelArb.map((channel): Op => ({ kind: 'revoke', channel })) },
  { weight: 1, arbitrary: channelArb.map((channel): Op => ({ kind: 'resend', channel })) }
);
const focusedOpArb = (channel: number): fc.Arbitrary<Op> =>
  fc.constantFrom<Op>({ kind: 'authorize', products: [channel] }, { kind: 'revoke', channel }, { kind: 'resend', channel });
const endpointArb = fc.constantFrom<SandboxEndpoint>('contentAccessAuthorization', 'revocateActivation');
const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('burst' as const), endpoint: endpointArb, times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constantFrom('late' as const, 'gaveUp' as const), endpoint: endpointArb, phase: phaseArb }),
  fc.constant<Fault>({ kind: 'noCancellationDate' })
);
const bulkRowsArb = fc.uniqueArray(fc.record({ customer: customerArb, channel: channelArb }), {
  minLength: 1,
  maxLength: 4,
  selector: ({ customer, channel }) => `${customer}:${channel}`,
});

const commandsArb = fc.commands<Model, Real, false>(
  [
    fc.tuple(customerArb, opArb, serverArb).map(([customer, op, server]) => new Call(customer, op, server)),
    fc.tuple(customerArb, opArb, serverArb).map(([customer, op, server]) => new Call(customer, op, server)),
    fc.tuple(fc.constantFrom<'authorize' | 'revoke'>('authorize', 'revoke'), bulkRowsArb, serverArb).map(([kind, rows, server]) => new Bulk(kind, rows, server)),
    fc.tuple(customerArb, serverArb).map(([customer, server]) => new Erase(customer, server)),
    fc.tuple(customerArb, channelArb, serverArb, fc.boolean()).map(([customer, channel, server, omit]) => new TokenCheck(customer, channel, server, omit)),
    fc.tuple(customerArb, faultArb).map(([customer, fault]) => new InjectFault(customer, fault)),
    fc
      .tuple(customerArb, channelArb.chain((channel) => fc.tuple(focusedOpArb(channel), focusedOpArb(channel))), phaseArb, serverArb)
      .map(([customer, [first, second], phase, server]) => new Crossing(customer, first, second, phase, server)),
    // A restart costs seconds: rarer than the rest.
    fc.oneof(
      { weight: 1, arbitrary: fc.tuple(customerArb, opArb, serverArb, fc.constantFrom<'SIGKILL' | 'SIGTERM'>('SIGKILL', 'SIGTERM'), phaseArb).map((args) => new StopWhileOnTheWire(...args)) },
      { weight: 2, arbitrary: fc
          .tuple(customerArb, channelArb, fc.constantFrom<RenewalMode>('during-expiry-call', 'after-expiry', 'at-expiry'), serverArb, fc.constantFrom(...RENEWAL_HOURS))
          .map((args) => new LimitedRenewal(...args)) }
    ),
  ],
  { maxCommands: MAX_COMMANDS, replayPath: process.env.MODEL_PATH }
);

/** Fixed sequences run first on every run: each process event and renewal race at least once. */
const X = 0;
const Y = 1;
const A = 0;
const B = 1;
const KNOWN_SEQUENCES: [Iterable<ClusterCommand>][] = [
  [
    [
      new Call(0, { kind: 'authorize', products: [X] }, A),
      new InjectFault(1, { kind: 'burst', endpoint: 'contentAccessAuthorization', times: 3 }),
      new Call(1, { kind: 'authorize', products: [X, Y] }, B),
      new StopWhileOnTheWire(0, { kind: 'revoke', channel: X }, A, 'SIGKILL', 'before'),
      new Crossing(0, { kind: 'authorize', products: [X] }, { kind: 'revoke', channel: X }, 'before', B),
      new TokenCheck(0, Y, A, true),
    ],
  ],
  [
    [
      new LimitedRenewal(0, X, 'during-expiry-call', A, RENEWAL_HOURS[0]),
      new Bulk('revoke', [{ customer: 1, channel: Y }, { customer: 0, channel: X }], B),
      new StopWhileOnTheWire(1, { kind: 'authorize', products: [Y] }, B, 'SIGTERM', 'after'),
      new Erase(1, A),
      new LimitedRenewal(1, Y, 'at-expiry', B, RENEWAL_HOURS[1]),
    ],
  ],
];

// ---------------------------------------------------------------------------------------------
// After a sequence.

/**
 * With Osteocom refusing every purchase and refund (503), each row still unconfirmed once the
 * alert time has passed is listed under Needs attention, on both servers.
 */
const checkAttention = async (model: Model, world: World, userIds: string[]) => {
  world.sandbox.release();
  world.sandbox.clearFaults();
  for (const endpoint of ['contentAccessAuthorization', 'revocateActivation'] as const) world.sandbox.inject({ endpoint, status: 503, times: null });
  await untilQuiet(world);
  // An editor re-sends every pair bought so far (customer c's on server c % 2): each intent, unchanged, is now unconfirmed too.
  for (const [c, userId] of userIds.entries()) {
    for (const channel of CHANNELS.keys()) {
      if (model.intents[c][channel] !== 'never') checkReply(await send(world, c % 2, userId, { kind: 'resend', channel }), [202], `re-send while Osteocom refuses, customer ${c} × ${channelName(channel)}`);
    }
  }
  const readAt = Date.now();
  if (!(await rowsOf(world, userIds)).some((row) => row.pending_operation)) return;
  // Every operation there was recorded by now: its alert time passes within ALERT_SECONDS.
  await sleep(Math.max(0, readAt + (ALERT_SECONDS + 1) * 1000 - Date.now()));
  const pending = (await rowsOf(world, userIds)).filter((row) => row.pending_operation);
  for (const [index, server] of world.servers.entries()) {
    const reply = await call(server, 'GET', '/osteocom/entitlements?attention=true&pageSize=100', undefined, world.admins[index]);
    checkReply(reply, [200], `Needs attention on ${serverName(index)}`);
    const listed = new Set((reply.body?.data as unknown as { userId: string; channelKey: string }[]).map((row) => `${row.userId}::${row.channelKey}`));
    const missing = pending.filter((row) => !listed.has(`${row.customer_key}::${row.channel_key}`));
    if (missing.length) throw new Error(`unconfirmed after the alert time, yet not under Needs attention on ${serverName(index)}: ${JSON.stringify(missing)}`);
  }
};

/** Faults off, holds released; the cron's outbox on both servers until nothing is pending and Osteocom has seen no call for a while. */
const quiesce = async (world: World, userIds: string[]) => {
  world.sandbox.clearFaults();
  world.sandbox.release();
  let seen = -1;
  await waitFor(
    'quiescence (nothing pending, no call to Osteocom since the last look)',
    async () => {
      const calls = world.sandbox.count();
      const settled = world.sandbox.inFlight() === 0 && !(await rowsOf(world, userIds)).some((row) => row.pending_operation);
      const quiet = settled && calls === seen;
      seen = settled ? calls : -1;
      return quiet;
    },
    { timeoutMs: 90_000, intervalMs: 1_500 }
  );
};

/**
 * The report's tallies as the two servers kept them, write by write in each ledger event's
 * transaction, equal the ledger summed here: per day its figures, the customers becoming active
 * or not and its count of events (the report's channel ranking is kept while that count before its
 * end holds), and the active count of each channel and customer (issue 26).
 */
const checkTallies = async (world: World) => {
  const events = (await world.knex('osteocom_access_events').select('customer_key', 'channel_key', 'kind', 'delta', 'price', 'at')) as Record<string, unknown>[];
  const days = new Map<number, number[]>();
  const add = (day: number, figures: number[]) => days.set(day, (days.get(day) ?? [0, 0, 0, 0, 0, 0, 0]).map((value, i) => value + figures[i]));
  const counts = new Map<string, number>();
  const history = new Map<string, { at: number; delta: number }[]>();
  for (const event of events) {
    const [kind, delta, price, at] = [String(event.kind), Number(event.delta), Number(event.price ?? 0), Number(event.at)];
    const purchase = kind === 'purchase' ? 1 : 0;
    const refund = kind === 'refund' ? 1 : 0;
    add(dayOf(at), [purchase, refund, purchase * price, refund * price, delta, 0, 1]);
    for (const key of [`channel:${event.channel_key}`, `customer:${event.customer_key}`]) counts.set(key, (counts.get(key) ?? 0) + delta);
    history.set(String(event.customer_key), [...(history.get(String(event.customer_key)) ?? []), { at, delta }]);
  }
  for (const customerEvents of history.values()) for (const [day, change] of customerDays(customerEvents)) add(day, [0, 0, 0, 0, 0, change, 0]);
  const kept = (await world.knex('osteocom_access_days').select('day', 'purchases', 'refunds', 'revenue', 'refunded_amount', 'delta', 'customers', 'events')) as Record<string, unknown>[];
  const keptCounts = (await world.knex('osteocom_access_counts').select('count_key', 'active')) as Record<string, unknown>[];
  const sorted = (rows: [number | string, ...number[]][]) => JSON.stringify([...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  expect(sorted(kept.map((row) => [Number(row.day), ...['purchases', 'refunds', 'revenue', 'refunded_amount', 'delta', 'customers', 'events'].map((key) => Number(row[key]))]))).toBe(
    sorted([...days].map(([day, figures]) => [day, ...figures]))
  );
  expect(sorted(keptCounts.filter((row) => Number(row.active) !== 0).map((row) => [String(row.count_key), Number(row.active)]))).toBe(
    sorted([...counts].filter(([, active]) => active !== 0))
  );
};

/**
 * Each server's channel ranking of the period yesterday to tomorrow (UTC) equals the ledger's events
 * summed here. Its part before today (the active counts at today's midnight) is kept across the
 * sequences while no event is dated before today, and today's part is read again after each one's
 * writes on both servers: what a kept ranking serves after concurrent writes.
 */
const checkRankings = async (world: World) => {
  const date = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const [from, to] = [date(-1), date(1)];
  const [start, end] = [Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + 86_400_000];
  const events = (await world.knex('osteocom_access_events').select('channel_key', 'kind', 'delta', 'price', 'at')) as Record<string, unknown>[];
  const figures = new Map<string, { purchases: number; refunds: number; revenue: number; activeEntitlements: number }>();
  for (const event of events.filter((row) => Number(row.at) < end)) {
    const channel = String(event.channel_key);
    const sum = figures.get(channel) ?? { purchases: 0, refunds: 0, revenue: 0, activeEntitlements: 0 };
    const inPeriod = Number(event.at) >= start;
    sum.purchases += inPeriod && event.kind === 'purchase' ? 1 : 0;
    sum.refunds += inPeriod && event.kind === 'refund' ? 1 : 0;
    sum.revenue += inPeriod && event.kind === 'purchase' ? Number(event.price ?? 0) : 0;
    sum.activeEntitlements += Number(event.delta);
    figures.set(channel, sum);
  }
  const expected = [...figures]
    .map(([idChannel, sum]) => ({ idChannel, ...sum }))
    .filter((row) => row.purchases || row.refunds || row.activeEntitlements)
    .sort((a, b) => b.revenue - a.revenue || b.activeEntitlements - a.activeEntitlements || (a.idChannel < b.idChannel ? -1 : 1));
  for (const [index, server] of world.servers.entries()) {
    const reply = await call(server, 'GET', `/osteocom/reports/channels?from=${from}&to=${to}&pageSize=100`, undefined, world.admins[index]);
    checkReply(reply, [200], `the channel ranking on ${server.name}`);
    const served = (reply.body?.data as unknown as Record<string, unknown>[]).map(({ title: _title, ...row }) => row);
    expect({ server: server.name, ranking: served }).toEqual({ server: server.name, ranking: expected });
  }
};

const checkOutcome = async (model: Model, { world, customers }: Real) => {
  const userIds = customers.map((customer) => customer.userId);
  await checkAttention(model, world, userIds);
  await quiesce(world, userIds);
  const rows = await rowsOf(world, userIds);
  const problems: string[] = [];
  for (const [c, customer] of customers.entries()) {
    const atOsteocom = world.sandbox.customer(customer.userId)?.activations ?? {};
    for (const [channel, channelId] of CHANNELS.entries()) {
      const intent = model.intents[c][channel];
      const row = rows.find((each) => each.customer_key === customer.userId && each.channel_key === channelId);
      const activation = atOsteocom[channelId];
      const activeThere = Boolean(activation && !activation.cancellationDate);
      const activeHere = row?.status === 'active';
      const where = `customer ${c} × ${channelName(channel)} (intent ${intent}, here ${row ? `${row.status}/${row.pending_operation}` : 'no row'}, Osteocom ${activation ? (activation.cancellationDate ? 'cancelled' : 'active') : 'none'})`;
      if (activeHere !== activeThere) problems.push(`${where}: local and Osteocom disagree`);
      if (intent === 'never' && (row || activation)) problems.push(`${where}: never bought`);
      if (intent === 'refunded' && row?.status !== 'revoked') problems.push(`${where}: refunded but not revoked`);
      if (intent === 'authorized' && !activeHere) problems.push(`${where}: paid but not active`);
      for (const [index, server] of world.servers.entries()) {
        const token = await call(server, 'POST', '/api/osteocom/video-token', { videoId: VIDEOS[channel] }, customer.jwt);
        const got = intent === 'authorized' ? [token.status] : [token.status, token.body?.error?.details?.code];
        const expected = intent === 'authorized' ? [200] : [403, 'NOT_ENTITLED'];
        if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${where}: video token on ${serverName(index)} ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
      }
    }
  }
  if (problems.length) throw new Error(`after the sequence:\n  ${problems.join('\n  ')}`);
  await checkTallies(world);
  await checkRankings(world);
};

// ---------------------------------------------------------------------------------------------

describe(`the money path against a model, two servers on one database (issue 23; B in ${ZONES[1]})`, () => {
  const world = { servers: [], started: [], admins: [] } as unknown as World;
  let registered = 0;

  const newCustomer = async (): Promise<Customer> => {
    registered += 1;
    const name = `model${registered}x${Date.now()}`;
    const reply = await call(world.servers[0], 'POST', '/api/auth/local/register', { username: name, email: `${name}@example.com`, password: 'Viewer-Password-1' });
    checkReply(reply, [200], 'registering an end user');
    const body = reply.body as unknown as { jwt: string; user: { documentId: string } };
    return { userId: body.user.documentId, jwt: body.jwt };
  };

  beforeAll(async () => {
    world.sandbox = createSandbox({ catalog, marketingConsentEnabled: true });
    await world.sandbox.listen();
    world.database = await createTestDatabase((process.env.TEST_DATABASE as TestDatabaseKind | undefined) ?? 'postgres');
    world.knex = connectTo(world.database);
    // One after the other: the first creates the schema, as a rolling deploy would.
    await restartServer(world, 0);
    await restartServer(world, 1);
    // An editor session per server, as with sticky sessions: Strapi's own admin sessions
    // (strapi_sessions, `timestamp without time zone` on PostgreSQL) are read 14 h early by a
    // server in UTC+14, so one session does not serve both zones — Strapi's, not the plugin's.
    for (const server of world.servers) {
      const login = await call(server, 'POST', '/admin/login', ADMIN);
      checkReply(login, [200], `admin login on ${server.name}`);
      world.admins.push((login.body?.data as { token: string }).token);
    }
    checkReply(await call(world.servers[1], 'POST', '/osteocom/sync?wait=true', {}, world.admins[1]), [200], 'sync');
  });

  afterAll(async () => {
    await Promise.all(world.started.map(stopServer));
    fs.mkdirSync(path.join(ROOT_DIR, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-money-model.log'), `${world.started.flatMap((server) => server.output).join('\n')}\n`);
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-money-model-sequences.log'), `${trace.join('\n')}\n`);
    await world.sandbox?.close();
    await world.knex?.destroy();
    await world.database?.drop();
  });

  it(`every purchase, refund and renewal ends where the shop last said, on both servers and at Osteocom (seed ${SEED}, ${RUNS} random sequences)`, async () => {
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(commandsArb, async (commands) => {
        sequences += 1;
        trace.push(`sequence ${sequences}:`);
        world.sandbox.clearFaults();
        const customers: Customer[] = [];
        for (let c = 0; c < CUSTOMERS; c += 1) customers.push(await newCustomer());
        const model = initialModel();
        const real: Real = { world, customers };
        await fc.asyncModelRun(() => ({ model, real }), commands);
        const started = Date.now();
        await checkOutcome(model, real);
        trace.push(`  then attention, quiescence and the checks (${Date.now() - started} ms): ${JSON.stringify(model.intents)}`);
      }),
      { seed: SEED, numRuns: RUNS + KNOWN_SEQUENCES.length, path: process.env.MODEL_PATH, verbose: 1, examples: KNOWN_SEQUENCES, endOnFailure: true }
    );
    // numRuns counts the fixed sequences too: every one of them and RUNS random ones ran.
    expect(sequences).toBe(process.env.MODEL_PATH ? 1 : RUNS + KNOWN_SEQUENCES.length);
  });
});
