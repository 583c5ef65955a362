/** URL slugs for channels: what the Content Manager's `uid` field accepts (`[A-Za-z0-9-_.~]`). */
const MAX_LENGTH = 80;
const FALLBACK = 'channel';

/** "Chirurgia dell'anca — 2ª edizione" → "chirurgia-dell-anca-2a-edizione". */
export const slugify = (title: string): string =>
  title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_LENGTH)
    .replace(/^-+|-+$/g, '') || FALLBACK;

/** The n-th slug tried for `base`: `base`, then `base-2`, `base-3`, … */
export const numberedSlug = (base: string, n: number) => (n === 1 ? base : `${base}-${n}`);
