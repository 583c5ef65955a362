/**
 * The catalog is read as it arrives (issue 14): the streamed reading must accept exactly what
 * validating the whole body at once accepted, and refuse the rest with the same errors.
 */
import { Readable } from 'node:stream';
import { generateCatalog } from '../../../sandbox/src';
import { catalogResponseSchema, type CatalogChannel } from '../../../server/src/schemas/osteocom';
import { readCatalog } from '../../../server/src/services/osteocom-client/catalog-stream';

/** The body cut into chunks of `size` bytes, so tokens and multi-byte characters straddle chunks. */
const bodyOf = (text: string, size = 7) => {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

/** A body read a byte a time takes thousands of stream turns: seconds on a loaded machine. */
const BYTE_BY_BYTE_MS = 30_000;

const collect = () => {
  const channels: CatalogChannel[] = [];
  return { channel: (channel: CatalogChannel) => channels.push(channel), end: () => channels };
};

const read = (text: string, size?: number) => readCatalog(bodyOf(text, size), 200, collect());

const rejection = async (text: string) => {
  try {
    await read(text);
  } catch (error) {
    return error as { code: string; message: string; details: { fields?: string[] } };
  }
  throw new Error('the body was accepted');
};

describe('reading the catalog as it arrives', () => {
  it('yields what validating the whole body yields, whatever the chunking', async () => {
    const catalog = generateCatalog({ channels: 5, videosPerChannel: 4 });
    catalog[1].title = 'Chirurgie de l’épaule — 肩';
    const text = `${JSON.stringify({ catalog, unknown: { nested: [1, { catalog: 2 }] } })}\n`;
    const expected = catalogResponseSchema.parse(JSON.parse(text)).catalog;
    for (const size of [1, 3, 64, 1 << 16]) expect(await read(text, size)).toEqual(expected);
  }, BYTE_BY_BYTE_MS);

  it('reads strings holding quotes, backslashes, brackets and commas as text, whatever the chunking', async () => {
    const [channel] = generateCatalog({ channels: 1, videosPerChannel: 2 });
    channel.title = 'a "quoted" \\ back],[slash}{, é 肩 \\';
    channel.video[0].title = '\\"]}';
    const text = JSON.stringify({ 'x"catalog': [1, ']'], catalog: [channel], tail: '"catalog":[' });
    for (const size of [1, 2, 5, 1 << 16]) expect(await read(text, size)).toEqual(catalogResponseSchema.parse(JSON.parse(text)).catalog);
  }, BYTE_BY_BYTE_MS);

  it('accepts an empty catalog', async () => {
    expect(await read('{"catalog":[]}')).toEqual([]);
  });

  it.each([
    ['a missing catalog', '{}', 'catalog: expected array, received undefined'],
    ['a catalog that is an object', '{"catalog":{"0":{"idChannel":"c","title":"t","price":1}}}', 'catalog: expected array, received object'],
    ['a body that is an array', '[{"catalog":[]}]', 'body: expected object, received array'],
    ['a catalog listed twice', '{"catalog":[],"catalog":[]}', 'catalog: listed more than once'],
    ['a channel that is not an object', '{"catalog":[{"idChannel":"a","title":"t","price":1}, 7]}', 'catalog.1: expected object, received number'],
    ['a catalog named with an escape, listed twice', '{"catalog":[],"cat\\u0061log":[]}', 'catalog: listed more than once'],
    ['an invalid channel, named by its index', '{"catalog":[{"idChannel":"a","title":"t","price":1},{"idChannel":"b","title":"t","price":"1"}]}', 'catalog.1.price: expected number'],
  ])('refuses %s as an unexpected shape', async (_, text, message) => {
    const error = await rejection(text);
    expect(error.code).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(error.message).toContain(message);
  });

  it.each([
    ['HTML', '<html>Gateway page</html>'],
    ['a truncated body', '{"catalog":[{"idChannel":"a","title":"t","price":1},{"idCh'],
    ['trailing text', '{"catalog":[]} and more'],
    ['an empty element', '{"catalog":[,]}'],
    ['an unclosed catalog', '{"catalog":[{"idChannel":"a","title":"t","price":1}'],
  ])('refuses %s as not JSON', async (_, text) => {
    const error = await rejection(text);
    expect(error).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', message: 'Osteocom answered the catalog call with a body that is not JSON.' });
  });

  it('hands channels on one at a time and makes the result only at the end', async () => {
    const seen: string[] = [];
    const sink = { channel: (channel: CatalogChannel) => seen.push(channel.idChannel), end: () => `${seen.length} channels` };
    const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
    const body = bodyOf(`${JSON.stringify({ catalog }).slice(0, -2)}, {"idChannel": "late", "price": 1}]}`);
    await expect(readCatalog(body, 200, sink)).rejects.toMatchObject({ message: expect.stringContaining('catalog.3.title') });
    expect(seen).toEqual(catalog.map((channel) => channel.idChannel));
  });
});
