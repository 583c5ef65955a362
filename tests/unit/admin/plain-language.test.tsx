import { DesignSystemProvider } from '@strapi/design-system';
import { render, screen, within } from '@testing-library/react';
import { IntlProvider } from 'react-intl';
import { MemoryRouter } from 'react-router-dom';
import { AuditEventsTable } from '../../../admin/src/components/AuditEventsTable';
import { EntitlementState } from '../../../admin/src/components/EntitlementState';
import en from '../../../admin/src/translations/en.json';
import italian from '../../../admin/src/translations/it.json';
import type { AuditEvent, Entitlement } from '../../../admin/src/types';
import { ENTITLEMENT_STATES, describe as describeRow, errorMessage, stateOf } from '../../../admin/src/utils/plainLanguage';
import { stateOf as serverStateOf } from '../../../server/src/services/access/entitlement-lifecycle';
import { ERROR_CODES } from '../../../shared/contracts/errors';
import { entitlementStatusSchema } from '../../../shared/contracts/entitlements';
import { renderWithProviders } from './render';

/**
 * Operations in plain language (issue 26): every lifecycle state and every error code the
 * contracts define has a sentence in English and Italian, so a code added to
 * shared/contracts/errors.ts without one fails here; the raw code stays in a details disclosure.
 */
const catalogs = { en, it: italian } as Record<string, Record<string, string>>;

const entitlement = (over: Partial<Entitlement>): Entitlement => ({
  channelKey: 'ch-knee',
  status: 'pending',
  price: 120,
  authorizedAt: null,
  revokedAt: null,
  accessUntil: null,
  pendingOperation: 'authorize',
  lastError: 'Osteocom did not answer (HTTP 503).',
  lastErrorCode: 'UPSTREAM_UNAVAILABLE',
  attempts: 2,
  nextAttemptAt: '2026-11-30T14:05:00.000Z',
  needsReconciliation: false,
  accessFrom: null,
  pausedAt: null,
  remindedFor: null,
  reminderOutcome: null,
  updatedAt: '2026-11-30T08:00:00.000Z',
  ...over,
});

const renderIn = (locale: 'en' | 'it', ui: React.ReactElement) =>
  render(
    <IntlProvider
      locale={locale}
      messages={Object.fromEntries(Object.entries(catalogs[locale]).map(([key, value]) => [`osteocom.${key}`, value]))}
      defaultLocale="en"
      timeZone="UTC"
    >
      <DesignSystemProvider locale={locale}>{ui}</DesignSystemProvider>
    </IntlProvider>
  );

describe('plain-language messages', () => {
  const codes = Object.keys(ERROR_CODES);

  it.each(['en', 'it'])('%s: every error code of the contracts has a sentence', (locale) => {
    expect(codes.length).toBeGreaterThan(30);
    const missing = codes.filter((code) => !catalogs[locale][`plain.error.${code}`]?.trim());
    expect(missing).toEqual([]);
    // Not the code itself: words.
    expect(codes.filter((code) => catalogs[locale][`plain.error.${code}`].includes(code))).toEqual([]);
  });

  it.each(['en', 'it'])('%s: every lifecycle state, paused and scheduled have a sentence', (locale) => {
    expect(ENTITLEMENT_STATES.filter((state) => !catalogs[locale][`plain.state.${state}`]?.trim())).toEqual([]);
    expect(ENTITLEMENT_STATES).toEqual(expect.arrayContaining(['paused', 'scheduled']));
    for (const key of ['plain.reconcile', 'plain.reconcileRefund', 'plain.doubt', 'plain.retry', 'plain.error.unknown']) {
      expect([locale, key, Boolean(catalogs[locale][key]?.trim())]).toEqual([locale, key, true]);
    }
  });

  it('names every state the server’s lifecycle can be in, as the server does', () => {
    const seen = new Set<string>();
    for (const status of entitlementStatusSchema.options) {
      for (const pendingOperation of [null, 'authorize', 'revoke'] as const) {
        const row = { status, pendingOperation };
        expect([row, stateOf(row)]).toEqual([row, serverStateOf(row)]);
        seen.add(stateOf(row));
      }
    }
    expect([...seen].filter((state) => !(ENTITLEMENT_STATES as readonly string[]).includes(state))).toEqual([]);
  });

  it('falls back to a general sentence for a code the admin does not know (the raw code stays in the details)', () => {
    expect(errorMessage('SOMETHING_NEW')).toBe('plain.error.unknown');
    expect(errorMessage('UPSTREAM_REJECTED')).toBe('plain.error.UPSTREAM_REJECTED');
  });
});

describe('an entitlement in words', () => {
  it('says when the next automatic attempt is and which one: `attempts` failed calls, so attempt attempts + 1', () => {
    renderIn('en', <EntitlementState entitlement={entitlement({})} />);
    expect(screen.getByTestId('plain-state').textContent).toBe("Osteocom hasn't confirmed this purchase yet: the customer can't watch until it does.");
    expect(screen.getByTestId('plain-retry').textContent).toBe("We'll retry automatically at Nov 30, 2026, 2:05 PM (attempt 3).");
    expect(screen.getByTestId('failed-attempts').textContent).toBe('2 failed attempts');
    expect(screen.getByTestId('last-error-code').textContent).toBe('Code: UPSTREAM_UNAVAILABLE');
    // No raw code or HTTP status outside the details.
    const outside = screen.getByTestId('entitlement-state').cloneNode(true) as HTMLElement;
    outside.querySelector('details')?.remove();
    expect(outside.textContent).not.toMatch(/UPSTREAM_|HTTP \d/);
  });

  it('the first send not yet failed is attempt 1', () => {
    expect(describeRow(entitlement({ attempts: 0, lastError: null, lastErrorCode: null })).retry?.attempt).toBe(1);
  });

  it('speaks Italian', () => {
    renderIn('it', <EntitlementState entitlement={entitlement({ status: 'failed', pendingOperation: null, nextAttemptAt: null, lastErrorCode: 'UPSTREAM_REJECTED', attempts: 1 })} />);
    expect(screen.getByTestId('plain-state').textContent).toBe('Questo acquisto non è andato a buon fine: il cliente non può guardare.');
    expect(screen.getByTestId('plain-reason').textContent).toMatch(/concedi un altro canale o rimborsa/);
    expect(screen.queryByTestId('plain-retry')).toBeNull();
    expect(screen.getByTestId('failed-attempts').textContent).toBe('1 tentativo fallito');
  });

  it('an active, settled row has no reason and no details', () => {
    renderWithProviders(<EntitlementState entitlement={entitlement({ status: 'active', pendingOperation: null, nextAttemptAt: null, lastError: null, lastErrorCode: null, attempts: 0 })} />);
    expect(screen.getByTestId('plain-state').textContent).toBe('Active: Osteocom confirmed it and the customer can watch.');
    expect(screen.queryByTestId('plain-details')).toBeNull();
  });
});

describe('the activity log', () => {
  const event = (over: Partial<AuditEvent>): AuditEvent => ({
    id: 1,
    action: 'authorize',
    outcome: 'pending',
    actorType: 'system',
    actorId: 'outbox',
    actorToken: null,
    actorName: null,
    subjectUserId: 'user-1',
    channelKey: 'ch-knee',
    details: { code: 'UPSTREAM_UNAVAILABLE', reason: 'Osteocom did not answer (HTTP 503).' },
    createdAt: '2026-11-30T14:05:00.000Z',
    firstAt: '2026-11-30T13:00:00.000Z',
    count: 4,
    ...over,
  });

  it('shows grouped retries as one row with their count, actors by name and reasons in words', () => {
    renderIn(
      'en',
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <AuditEventsTable
          titles={new Map([['ch-knee', 'Knee']])}
          events={[
            event({}),
            event({ id: 2, outcome: 'success', actorType: 'admin', actorId: '7', actorName: 'Anna Rossi', details: {}, count: 1, firstAt: '2026-11-30T12:00:00.000Z' }),
            event({ id: 3, outcome: 'success', actorType: 'api-token', actorId: '3', actorName: 'Shop', details: {}, count: 1 }),
            event({ id: 4, outcome: 'success', actorType: 'admin', actorId: '9', actorName: null, details: {}, count: 1 }),
          ]}
        />
      </MemoryRouter>
    );
    const [retries, admin, shop, unnamed] = screen.getAllByTestId('audit-row').map((row) => within(row));
    expect(retries.getByTestId('audit-retries').textContent).toBe('4 automatic retries, Nov 30, 2026, 1:00 PM – Nov 30, 2026, 2:05 PM');
    expect(retries.getByTestId('audit-actor').textContent).toBe('Automatic (outbox)');
    expect(retries.getByTestId('audit-reason').textContent).toBe("Osteocom couldn't be reached or was busy; we'll retry automatically. (UPSTREAM_UNAVAILABLE)");
    expect(admin.getByTestId('audit-actor').textContent).toBe('Anna Rossi');
    expect(admin.queryByTestId('audit-retries')).toBeNull();
    expect(shop.getByTestId('audit-actor').textContent).toBe('Shop back end (Shop)');
    expect(unnamed.getByTestId('audit-actor').textContent).toBe('Admin · 9');
  });
});
