import { ledgerEventOf } from '../../../server/src/repositories/access-event-repository';

/** The report's ledger: which entitlement writes are events, of what kind and delta (issue 26). */
describe('ledgerEventOf', () => {
  const keys = { entitlementId: 7, version: 3, customerKey: 'u-1', channelKey: 'ch-1' };
  const NOW = Date.UTC(2026, 5, 1);
  const kindOf = (before: string | null, after: string, accessUntil: string | null = null) => {
    const event = ledgerEventOf(keys, before ? { status: before, price: 900, accessUntil } : null, { status: after, price: 900, accessUntil }, NOW);
    return event && [event.kind, event.delta, event.at === NOW ? 'now' : new Date(event.at).toISOString()];
  };

  it('a confirmed purchase is +1 at its price, keyed by entitlement and version', () => {
    expect(ledgerEventOf(keys, { status: 'pending', price: 900 }, { status: 'active' }, NOW)).toEqual({
      eventKey: '7:3',
      customerKey: 'u-1',
      channelKey: 'ch-1',
      kind: 'purchase',
      delta: 1,
      price: 900,
      at: NOW,
    });
    // A re-purchase after a refund or a refusal goes through pending; straight to active it is a purchase all the same.
    expect(kindOf('revoked', 'active')).toEqual(['purchase', 1, 'now']);
    expect(kindOf('failed', 'active')).toEqual(['purchase', 1, 'now']);
  });

  it('a refund ends an access (−1) or an unconfirmed purchase (0); an end reached is an expiry dated at the end', () => {
    expect(kindOf('active', 'revoked')).toEqual(['refund', -1, 'now']);
    expect(kindOf('active', 'revoked', '2027-01-01T00:00:00.000Z')).toEqual(['refund', -1, 'now']);
    expect(kindOf('active', 'revoked', '2026-05-31T00:00:00.000Z')).toEqual(['expiry', -1, '2026-05-31T00:00:00.000Z']);
    expect(kindOf('pending', 'revoked')).toEqual(['refund', 0, 'now']);
    // A refused re-purchase revoked as its fallback: the refund before it was counted already.
    expect(ledgerEventOf(keys, { status: 'pending' }, { status: 'revoked', lastErrorCode: 'UPSTREAM_REFUSED' }, NOW)).toBeNull();
  });

  it('paused and scheduled never count as active; a resume is no sale, a scheduled start is one', () => {
    expect(kindOf('active', 'paused')).toEqual(['paused', -1, 'now']);
    expect(kindOf('paused', 'active')).toEqual(['resumed', 1, 'now']);
    // A scheduled purchase stays scheduled until Osteocom confirms it: the sale counts when access begins.
    expect(kindOf('scheduled', 'active')).toEqual(['purchase', 1, 'now']);
    // A resume is pending with the sale's authorizedAt kept (a new purchase clears it).
    const resume = ledgerEventOf(keys, { status: 'pending', price: 900, authorizedAt: '2026-01-01T00:00:00.000Z' }, { status: 'active' }, NOW);
    expect(resume && [resume.kind, resume.delta]).toEqual(['resumed', 1]);
    expect(kindOf(null, 'scheduled')).toBeNull();
  });

  it('writes that change nothing counted are no events: a re-send or extension of an active access, a refusal, a confirmed refund', () => {
    expect(kindOf('active', 'active')).toBeNull();
    expect(kindOf('pending', 'failed')).toBeNull();
    expect(kindOf('revoked', 'revoked')).toBeNull();
    expect(kindOf(null, 'pending')).toBeNull();
    expect(kindOf(null, 'revoked')).toBeNull();
  });
});
