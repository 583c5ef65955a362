import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import en from '../../../admin/src/translations/en.json';
import italian from '../../../admin/src/translations/it.json';

const SOURCE = path.resolve(__dirname, '../../../admin/src');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });

describe('admin translations', () => {
  it('has the same keys in English and Italian', () => {
    expect(Object.keys(italian).sort()).toEqual(Object.keys(en).sort());
  });

  it('has real Italian text, not copies of the English', () => {
    /** Technical terms Italian admins use as they are. */
    const sameInBoth = new Set(['settings.clientSecret']);
    const copied = Object.entries(italian).filter(
      ([key, value]) =>
        value === en[key as keyof typeof en] && value.length > 12 && !sameInBoth.has(key)
    );
    expect(copied).toEqual([]);
  });

  it.each([
    ['en', en],
    ['it', italian],
  ])(
    'every %s message is a valid ICU message with the same arguments as English',
    (locale, messages) => {
      for (const [key, message] of Object.entries(messages)) {
        expect(message.trim()).not.toBe('');
        expect(() => new IntlMessageFormat(message, locale)).not.toThrow();
        const args = (text: string) => [...text.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
        expect([key, args(message)]).toEqual([key, args(en[key as keyof typeof en])]);
      }
    }
  );

  it('defines every key the source passes to t() (tsc checks the rest through MessageKey)', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(SOURCE)) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g))
        used.add(match[1]);
    }
    expect([...used].filter((key) => !(key in en))).toEqual([]);
    expect(used.size).toBeGreaterThan(100);
  });
});
