/** `GET /osteocom/encryption` and `POST /osteocom/encryption/rotate`: the access keys' encryption at rest. */
import { z } from 'zod';
import { adminReply, dateTime, type RouteContract } from './common';

/** Where a stored secret stands with the configured keys (server/src/services/keys/crypto.ts). */
export const keyStateSchema = z.enum(['newest', 'older', 'legacy', 'unlisted']);
export type KeyState = z.infer<typeof keyStateSchema>;

export const rotationFailureSchema = z.object({ keyId: z.string().nullable(), code: z.string(), count: z.int() });
export type RotationFailure = z.infer<typeof rotationFailureSchema>;

export const rotationTriggerSchema = z.enum(['startup', 'manual']);
export type RotationTrigger = z.infer<typeof rotationTriggerSchema>;

/** The last pass, as every server reads it from the plugin store: counts and key ids only. */
export const rotationPassSchema = z.object({
  status: z.enum(['running', 'finished', 'stopped', 'failed']),
  trigger: rotationTriggerSchema,
  server: z.string(),
  newestKeyId: z.string(),
  startedAt: dateTime,
  finishedAt: dateTime.nullable(),
  moved: z.int(),
  /** Changed by someone else between read and write (a new purchase): left as they are. */
  skipped: z.int(),
  failed: z.int(),
  failures: z.array(rotationFailureSchema),
  errorCode: z.string().nullable(),
});
export type RotationPass = z.infer<typeof rotationPassSchema>;

export const encryptionStatusSchema = z.object({
  newestKeyId: z.string(),
  keys: z.array(z.object({ id: z.string(), source: z.enum(['config', 'app']), newest: z.boolean(), rows: z.int() })),
  rows: z.object({ total: z.int(), onNewestKey: z.int(), remaining: z.int(), legacy: z.int(), unlisted: z.int() }),
  clientSecret: z.union([keyStateSchema, z.literal('none')]),
  running: z.boolean(),
  /** A pass whose server died still says "running" in the store: the status answers `interrupted`. */
  lastPass: rotationPassSchema.extend({ status: z.enum(['running', 'finished', 'stopped', 'failed', 'interrupted']) }).nullable(),
});
export const getEncryptionStatus = { reply: adminReply(encryptionStatusSchema), errors: {} } satisfies RouteContract;
export type EncryptionStatus = z.infer<typeof getEncryptionStatus.reply>['data'];

/** 202: a pass started in the background. */
export const rotateKeys = { reply: adminReply(encryptionStatusSchema), errors: { 409: ['KEY_ROTATION_ALREADY_RUNNING'] } } satisfies RouteContract;
