/** Where a stored secret stands with the configured keys (server/src/services/crypto.ts). */
export type KeyState = 'newest' | 'older' | 'legacy' | 'unlisted';

export interface RotationPass {
  status: 'running' | 'finished' | 'stopped' | 'failed' | 'interrupted';
  trigger: 'startup' | 'manual';
  newestKeyId: string;
  startedAt: string;
  finishedAt: string | null;
  moved: number;
  skipped: number;
  failed: number;
  failures: { keyId: string | null; code: string; count: number }[];
  errorCode: string | null;
}

/** GET /osteocom/encryption (server/src/services/key-rotation.ts `status`). */
export interface EncryptionStatus {
  newestKeyId: string;
  keys: { id: string; source: 'config' | 'app'; newest: boolean; rows: number }[];
  rows: { total: number; onNewestKey: number; remaining: number; legacy: number; unlisted: number };
  clientSecret: KeyState | 'none';
  running: boolean;
  lastPass: RotationPass | null;
}
