import { numberedSlug, slugify } from '../../../server/src/services/catalog/slugs';

describe('channel slugs', () => {
  it.each([
    ["Chirurgia dell'anca — 2ª edizione", 'chirurgia-dell-anca-2a-edizione'],
    ['  Knee: ACL Reconstruction!  ', 'knee-acl-reconstruction'],
    ['Ästhetische Chirurgie', 'asthetische-chirurgie'],
    ['骨科', 'channel'],
    ['', 'channel'],
  ])('makes %j into %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('keeps slugs within 80 characters, without a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(79)} b`);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).not.toMatch(/-$/);
  });

  it('numbers the slugs tried after the first', () => {
    expect([1, 2, 3].map((n) => numberedSlug('knee', n))).toEqual(['knee', 'knee-2', 'knee-3']);
  });
});
