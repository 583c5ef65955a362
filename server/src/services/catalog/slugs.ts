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

/** `base`, else `base-2`, `base-3`, … whichever `taken` lacks; the caller adds it to `taken`. */
export const uniqueSlug = (base: string, taken: ReadonlySet<string>): string => {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
};
