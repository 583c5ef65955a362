import { slugify, uniqueSlug } from '../../../server/src/services/catalog/slugs';

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

  it('numbers a slug already taken', () => {
    expect(uniqueSlug('knee', new Set())).toBe('knee');
    expect(uniqueSlug('knee', new Set(['knee', 'knee-2']))).toBe('knee-3');
  });
});
