import { screen } from '@testing-library/react';
import type { EncryptionStatus } from '../../../admin/src/types';
import { EncryptionDetails, allOnNewest } from '../../../admin/src/components/EncryptionDetails';
import { renderWithProviders } from './render';

/** As `GET /osteocom/encryption` answers after a new key was listed first. */
const status = (over: Partial<EncryptionStatus> = {}): EncryptionStatus => ({
  newestKeyId: 'k2026',
  keys: [
    { id: 'k2026', source: 'config', newest: true, rows: 120 },
    { id: '1a2b3c4d', source: 'config', newest: false, rows: 80 },
  ],
  rows: { total: 200, onNewestKey: 120, remaining: 80, legacy: 0, unlisted: 0 },
  clientSecret: 'older',
  running: false,
  lastPass: null,
  ...over,
});

describe('encryption details (overview)', () => {
  it('shows the newest key, the counts, and asks to keep the older keys while secrets remain on them', () => {
    renderWithProviders(<EncryptionDetails status={status()} />);
    expect(screen.getByText('k2026')).toBeTruthy();
    expect(screen.getByText('120 of 200 access keys')).toBeTruthy();
    expect(screen.getByText('80')).toBeTruthy();
    expect(screen.getByText('On an older key')).toBeTruthy();
    expect(screen.getByText('Keep the older keys for now')).toBeTruthy();
    expect(screen.getByText('No re-encryption pass has run yet.')).toBeTruthy();
  });

  it('shows a running pass, without the warning', () => {
    renderWithProviders(<EncryptionDetails status={status({ running: true, lastPass: { status: 'running', trigger: 'startup', server: 'a', newestKeyId: 'k2026', startedAt: '2026-11-30T08:00:00.000Z', finishedAt: null, moved: 40, skipped: 0, failed: 0, failures: [], errorCode: null } })} />);
    expect(screen.getAllByText('Re-encrypting…').length).toBeGreaterThan(0);
    expect(screen.queryByText('Keep the older keys for now')).toBeNull();
    expect(screen.getByText('Running')).toBeTruthy();
  });

  it('warns when rows are on a key that is no longer configured, and counts what the last pass could not read', () => {
    const lastPass = { status: 'finished' as const, trigger: 'manual' as const, server: 'a', newestKeyId: 'k2026', startedAt: '2026-11-30T08:00:00.000Z', finishedAt: '2026-11-30T08:01:00.000Z', moved: 199, skipped: 0, failed: 1, failures: [{ keyId: '1a2b3c4d', code: 'ENCRYPTION_KEY_MISSING', count: 1 }], errorCode: null };
    renderWithProviders(<EncryptionDetails status={status({ rows: { total: 200, onNewestKey: 199, remaining: 1, legacy: 0, unlisted: 1 }, clientSecret: 'newest', lastPass })} />);
    expect(screen.getByText('Key missing')).toBeTruthy();
    expect(screen.getByText(/1 access keys are encrypted with a key that is no longer configured/)).toBeTruthy();
    expect(screen.queryByText('Keep the older keys for now')).toBeNull();
    expect(screen.getByText('Finished')).toBeTruthy();
    expect(screen.getByText('199')).toBeTruthy();
  });

  it('has nothing left to move once every secret is on the newest key', () => {
    expect(allOnNewest(status())).toBe(false);
    expect(allOnNewest(status({ rows: { total: 200, onNewestKey: 200, remaining: 0, legacy: 0, unlisted: 0 }, clientSecret: 'none' }))).toBe(true);
    expect(allOnNewest(status({ rows: { total: 200, onNewestKey: 200, remaining: 0, legacy: 0, unlisted: 0 }, clientSecret: 'legacy' }))).toBe(false);
  });
});
