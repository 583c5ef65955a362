import type { Core } from '@strapi/strapi';
import { OsteocomError, isOsteocomError, type ErrorCode } from '../../errors';
import { createCiphertextRepository, type StoredAccessKey } from '../../repositories/ciphertext-repository';
import { getService } from '../../utils/get-service';
import { createInFlight } from '../../utils/in-flight';
import { SERVER_ID, type Lease } from '../platform/lock';
import type { EncryptionStatus, RotationFailure, RotationPass, RotationTrigger } from '../../../../shared/contracts/encryption';

const LEASE = 'key-rotation';
const STATE_KEY = 'key-rotation';
/** A long pass says how far it got at most this often (each batch is logged at debug level). */
const PROGRESS_LOG_MS = 10_000;

/** What a secret that cannot be read fails with: counted and named by key, never fatal to the pass. */
const UNREADABLE = new Set<ErrorCode>(['ENCRYPTION_KEY_MISSING', 'DECRYPTION_FAILED', 'ENCRYPTION_ERROR']);

/**
 * The plugin's own message, or a database driver's error code: a driver's message can quote the
 * row's values (SQLite inlines them), ciphertexts included.
 */
const reasonOf = (error: unknown) => {
  if (isOsteocomError(error)) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'unexpected error';
};

interface RotationConfig {
  onStartup: boolean;
  upgradeLegacy: boolean;
  batchSize: number;
  leaseSeconds: number;
}

class Tally {
  moved = 0;
  skipped = 0;
  readonly failures = new Map<string, RotationFailure>();

  fail(keyId: string | null, code: string, count = 1) {
    const key = `${keyId ?? ''}\u0000${code}`;
    const entry = this.failures.get(key) ?? { keyId, code, count: 0 };
    entry.count += count;
    this.failures.set(key, entry);
  }

  add(other: Tally) {
    this.moved += other.moved;
    this.skipped += other.skipped;
    for (const failure of other.failures.values()) this.fail(failure.keyId, failure.code, failure.count);
  }

  get failed() {
    return [...this.failures.values()].reduce((sum, failure) => sum + failure.count, 0);
  }

  /** The figures in words, for log messages (Strapi's default log format prints only the message). */
  describe() {
    const failures = [...this.failures.values()].map((failure) => `${failure.count} ${failure.code} on key ${failure.keyId ?? 'unknown'}`);
    return `moved ${this.moved}, skipped ${this.skipped}, failed ${this.failed}${failures.length ? ` (${failures.join(', ')})` : ''}`;
  }

  counts() {
    return { moved: this.moved, skipped: this.skipped, failed: this.failed, failures: [...this.failures.values()].map((failure) => ({ ...failure })) };
  }
}

/**
 * The re-encryption pass: moves every stored secret to the newest key, in batches by id, under a
 * cluster lease. It may stop at any moment (shutdown, lease lost): what it moved is committed, and
 * the next pass picks up the rows still on an older key. Each replacement is a guarded write.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.plugin('osteocom').config('keyRotation') as RotationConfig;
  const crypto = () => getService(strapi, 'crypto');
  const repo = createCiphertextRepository(strapi);
  const store = () => strapi.store({ type: 'plugin', name: 'osteocom', key: STATE_KEY });
  /** Passes and start-up checks running here: on shutdown they stop after the batch in flight. */
  const inFlight = createInFlight();

  const readPass = async () => ((await store().get({})) as RotationPass | null) ?? null;
  const savePass = (pass: RotationPass) => store().set({ value: pass });

  /** The secret re-encrypted with the newest key; null when it is on it already; throws when unreadable. */
  const reencrypt = (stored: string): string | null => {
    if (crypto().keyState(stored) === 'newest') return null;
    return crypto().encrypt(crypto().decrypt(stored));
  };

  /** Runs `move` for one secret, counting what happened; an unreadable secret is counted, not thrown. */
  const attempt = async (stored: string, tally: Tally, move: (to: string) => Promise<boolean>) => {
    let to: string | null;
    try {
      to = reencrypt(stored);
    } catch (error) {
      if (!isOsteocomError(error) || !UNREADABLE.has(error.code)) throw error;
      // The key's id as the error names it (a listed key's current id, never its old-style one).
      const keyId = error.details.keyId;
      tally.fail(typeof keyId === 'string' ? keyId : crypto().keyIdOf(stored), error.code);
      return;
    }
    if (to === null) return;
    if (await move(to)) tally.moved += 1;
    else tally.skipped += 1;
  };

  const moveSettingsSecret = async (tally: Tally) => {
    const secret = await repo.settingsSecret();
    if (secret) await attempt(secret.clientSecretEncrypted, tally, (to) => repo.replaceSettingsSecret(secret, to));
  };

  const assertHeld = (lease: Lease) => {
    if (lease.lost) throw new OsteocomError('KEY_ROTATION_ALREADY_RUNNING', 'Another server took over the key rotation lease; this pass stopped.');
  };

  /** One batch in one transaction, fenced by the lease: a server that lost it rolls the batch back. */
  const moveBatch = async (rows: StoredAccessKey[], lease: Lease) => {
    const batch = new Tally();
    await repo.transaction(async (trx) => {
      for (const row of rows) await attempt(row.accessKey, batch, (to) => repo.replaceAccessKey(trx, row.id, row.accessKey, to));
      await lease.confirm(trx);
      assertHeld(lease);
    });
    return batch;
  };

  /** True when no row is left behind the cursor's end; false when stopped before. */
  const moveAccessKeys = async (lease: Lease, tally: Tally, onBatch: () => Promise<void>) => {
    const { batchSize } = config();
    const prefix = crypto().prefixOf(crypto().newestKeyId());
    let afterId = 0;
    let loggedAt = Date.now();
    for (;;) {
      if (inFlight.stopping || lease.lost) return false;
      const rows = await repo.accessKeysNotOn(prefix, afterId, batchSize);
      if (!rows.length) return true;
      tally.add(await moveBatch(rows, lease));
      afterId = rows[rows.length - 1].id;
      await onBatch();
      strapi.log.debug(`[osteocom] key rotation batch of ${rows.length} rows: ${tally.describe()}`);
      if (Date.now() - loggedAt >= PROGRESS_LOG_MS) {
        loggedAt = Date.now();
        strapi.log.info(`[osteocom] key rotation progress: ${tally.describe()}`);
      }
    }
  };

  const run = async (pass: RotationPass, lease: Lease) => {
    const tally = new Tally();
    const snapshot = (status: RotationPass['status'], errorCode: string | null = null): RotationPass => ({
      ...pass,
      ...tally.counts(),
      status,
      errorCode,
      finishedAt: status === 'running' ? null : new Date().toISOString(),
    });
    let final: RotationPass;
    try {
      await moveSettingsSecret(tally);
      const complete = await moveAccessKeys(lease, tally, () => savePass(snapshot('running')));
      final = snapshot(complete ? 'finished' : 'stopped');
    } catch (error) {
      const lost = isOsteocomError(error) && error.code === 'KEY_ROTATION_ALREADY_RUNNING';
      final = snapshot(lost ? 'stopped' : 'failed', isOsteocomError(error) ? error.code : 'INTERNAL_ERROR');
      if (!lost) strapi.log.error(`[osteocom] key rotation failed: errorCode ${final.errorCode}, reason ${reasonOf(error)}`);
    }
    // A server that lost the lease leaves the record to the new holder.
    if (!lease.lost) await savePass(final).catch((error: unknown) => strapi.log.error(`[osteocom] key rotation record not saved: ${reasonOf(error)}`));
    await lease.release().catch((error: unknown) => strapi.log.warn(`[osteocom] key rotation lease not released: ${reasonOf(error)}`));
    const durationMs = Date.parse(final.finishedAt!) - Date.parse(final.startedAt);
    const message = `[osteocom] key rotation ended: ${final.status}, newest key ${final.newestKeyId}, ${tally.describe()}, in ${durationMs} ms`;
    if (final.failed || final.status === 'failed') strapi.log.warn(message);
    else strapi.log.info(message);
    return final;
  };

  /** Secrets not on the newest key (customers' access keys and the stored client secret). */
  const remaining = async () => {
    const { total, byPrefix } = await repo.countAccessKeys([crypto().prefixOf(crypto().newestKeyId())]);
    const secret = await repo.settingsSecret();
    return total - byPrefix[0] + (secret && crypto().keyState(secret.clientSecretEncrypted) !== 'newest' ? 1 : 0);
  };

  /**
   * True when a key was listed before the one secrets are on. Otherwise the secrets are on the
   * newest key, some in an older format (v1 from 0.1.0) the previous version still reads: moving
   * them would remove the way back, so only the operator decides (Rotate, or `upgradeLegacy`).
   */
  const newKeyConfigured = async () => {
    const keys = crypto().keys();
    if (keys.filter((key) => key.source === 'config').length > 1) return true;
    if (crypto().keyState((await repo.settingsSecret())?.clientSecretEncrypted ?? '') === 'older') return true;
    const { byPrefix } = await repo.countAccessKeys(keys.slice(1).flatMap((key) => crypto().prefixesOf(key.id)));
    return byPrefix.some((count) => count > 0);
  };

  return {
    /**
     * Takes the lease and starts a pass (`wait`: resolves with its end). A pass going on anywhere
     * answers KEY_ROTATION_ALREADY_RUNNING.
     */
    async start(trigger: RotationTrigger, options: { wait?: boolean } = {}): Promise<RotationPass> {
      const lease = await getService(strapi, 'lock').acquire(LEASE, config().leaseSeconds);
      if (!lease) throw new OsteocomError('KEY_ROTATION_ALREADY_RUNNING', 'A re-encryption pass is already running.');
      const pass: RotationPass = {
        status: 'running',
        trigger,
        server: SERVER_ID,
        newestKeyId: crypto().newestKeyId(),
        startedAt: new Date().toISOString(),
        finishedAt: null,
        moved: 0,
        skipped: 0,
        failed: 0,
        failures: [],
        errorCode: null,
      };
      try {
        await savePass(pass);
      } catch (error) {
        await lease.release();
        throw error;
      }
      strapi.log.info(`[osteocom] key rotation started (${trigger}), newest key ${pass.newestKeyId}`);
      const done = run(pass, lease);
      inFlight.track(done);
      return options.wait ? done : pass;
    },

    /**
     * At boot: a pass when secrets on an older key exist and a new key is listed before it (or
     * the operator confirmed with `upgradeLegacy`); one already running elsewhere is fine.
     */
    async startIfNeeded() {
      if (!config().onStartup) return;
      const check = (async () => {
        try {
          if (inFlight.stopping) return;
          const pending = await remaining();
          if (!pending || inFlight.stopping) return;
          if (!config().upgradeLegacy && !(await newKeyConfigured())) {
            strapi.log.info(
              `[osteocom] key rotation not started: ${pending} stored secrets are in an older format on the only configured key, kept so the previous version can still read them; re-encrypt with the Rotate button (POST /osteocom/encryption/rotate) or keyRotation.upgradeLegacy: true`,
              { pending }
            );
            return;
          }
          await this.start('startup', { wait: true });
        } catch (error) {
          if (isOsteocomError(error) && error.code === 'KEY_ROTATION_ALREADY_RUNNING') return;
          strapi.log.error(`[osteocom] key rotation could not start: ${reasonOf(error)}`);
        }
      })();
      // Shutdown waits for the check too: it queries the database.
      await inFlight.track(check);
    },

    /** Where the secrets stand, per key, and the last pass (for the overview page). */
    async status(): Promise<EncryptionStatus> {
      const keys = crypto().keys();
      // Each key's rows under its id and under its old-style id; the newest key's old-style rows are still to move.
      const prefixes = keys.map((key) => crypto().prefixesOf(key.id));
      const { total, byPrefix } = await repo.countAccessKeys([...prefixes.flat(), crypto().prefixOf(null)]);
      const sum = (counts: number[]) => counts.reduce((all, count) => all + count, 0);
      let at = 0;
      const rowsPerKey = prefixes.map((list) => sum(byPrefix.slice(at, (at += list.length))));
      const onListedKeys = sum(rowsPerKey);
      const legacy = byPrefix[at];
      const secret = await repo.settingsSecret();
      const pass = await readPass();
      const running = pass?.status === 'running' && (await getService(strapi, 'lock').isHeld(LEASE));
      return {
        newestKeyId: crypto().newestKeyId(),
        keys: keys.map((key, index) => ({ ...key, rows: rowsPerKey[index] })),
        rows: { total, onNewestKey: byPrefix[0], remaining: total - byPrefix[0], legacy, unlisted: total - onListedKeys - legacy },
        clientSecret: secret ? crypto().keyState(secret.clientSecretEncrypted) : ('none' as const),
        running,
        // A pass whose server died still says "running"; the expired lease tells.
        lastPass: pass && pass.status === 'running' && !running ? { ...pass, status: 'interrupted' as const } : pass,
      };
    },

    /** On shutdown: stop after the batch in flight (it commits), and wait briefly for it. */
    shutdown: (graceMs: number) => inFlight.shutdown(graceMs),
  };
};
