import type { Readable } from 'node:stream';
import { z } from 'zod';
import { catalogChannelSchema, toCatalogChannel, type CatalogChannel } from '../../schemas/osteocom';
import { notJsonError, wrongShapeError } from './errors';

/** Receives the catalog's channels one at a time, each already validated, and makes the result. */
export interface CatalogSink<T> {
  channel(channel: CatalogChannel): void;
  end(): T;
}

const envelopeSchema = z.object({ catalog: z.array(z.unknown()) });

const [QUOTE, BACKSLASH, COMMA, COLON, CLOSE_ARRAY] = [0x22, 0x5c, 0x2c, 0x3a, 0x5d];
const OPENERS = new Set([0x7b, 0x5b]);
const CLOSERS = new Set([0x7d, 0x5d]);
/** What stands for each element in the skeleton. */
const PLACEHOLDER = Buffer.from('0');
const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Thrown by JSON.parse on a piece: the body is not JSON. */
class NotJson extends Error {}

const parsePiece = (bytes: Buffer): unknown => {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new NotJson();
  }
};

/**
 * Cuts `{ "catalog": [ … ] }` into the texts of the catalog's elements as bytes arrive, so each is
 * parsed by the native JSON.parse alone (a tokenizer in JavaScript took 3–4× longer on a
 * 100,000-video catalog and made most of the sync's garbage). Everything else of the body — the
 * "skeleton", each element replaced by `0` — is kept and parsed at the end: that parse decides
 * whether the body was JSON at all. Only quotes and backslashes matter inside strings, and neither
 * byte occurs within a multi-byte UTF-8 character, so scanning bytes is safe.
 */
const createSplitter = (onElement: (text: Buffer, index: number) => void) => {
  const skeleton: Buffer[] = [];
  let element: Buffer[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let topIsObject: boolean | undefined;
  let expectKey = false;
  let keyStart = -1;
  let keyParts: Buffer[] = [];
  let key: string | undefined;
  let valueOf: string | undefined;
  let inCatalog = false;
  let catalogs = 0;
  let elements = 0;

  const flushElement = () => {
    const text = Buffer.concat(element);
    element = [];
    if (!text.some((byte) => !isSpace(byte))) return;
    skeleton.push(PLACEHOLDER);
    onElement(text, elements);
    elements += 1;
  };

  /** Follows a byte outside any string; true when it opens the catalog array. */
  const structural = (byte: number) => {
    let opensCatalog = false;
    if (topIsObject === undefined && !isSpace(byte)) topIsObject = byte === 0x7b;
    if (depth === 1 && topIsObject) {
      if (byte === COLON) [valueOf, expectKey] = [key, false];
      else if (byte === COMMA) [expectKey, valueOf] = [true, undefined];
      else if (valueOf !== undefined && !isSpace(byte)) {
        if (valueOf === 'catalog') [catalogs, opensCatalog] = [catalogs + 1, byte === 0x5b];
        valueOf = undefined;
      }
    }
    if (OPENERS.has(byte)) {
      depth += 1;
      if (depth === 1 && topIsObject) expectKey = true;
    } else if (CLOSERS.has(byte)) depth -= 1;
    return opensCatalog;
  };

  const write = (chunk: Buffer) => {
    let from = 0;
    /** Hands the bytes since the last cut to the element being read, or to the skeleton. */
    const cut = (end: number) => {
      // The skeleton keeps copies: a view would hold the whole 64 kB chunk it was cut from.
      if (end > from) (inCatalog ? element : skeleton).push(inCatalog ? chunk.subarray(from, end) : Buffer.from(chunk.subarray(from, end)));
      from = end;
    };
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          if (keyStart >= 0) {
            keyParts.push(chunk.subarray(keyStart, i + 1));
            key = String(parsePiece(Buffer.concat(keyParts)));
            [keyStart, keyParts] = [-1, []];
          }
        }
        continue;
      }
      if (byte === QUOTE) {
        inString = true;
        if (depth === 1 && topIsObject && expectKey) keyStart = i;
        continue;
      }
      if (inCatalog && depth === 2 && (byte === COMMA || byte === CLOSE_ARRAY)) {
        cut(i);
        flushElement();
        inCatalog = false;
        cut(i + 1);
        inCatalog = byte === COMMA;
      }
      if (structural(byte)) {
        cut(i + 1);
        inCatalog = true;
      }
    }
    cut(chunk.length);
    if (keyStart >= 0) [keyParts, keyStart] = [[...keyParts, chunk.subarray(keyStart)], 0];
  };

  /** The body without its catalog's elements, parsed; a ZodError when it is not `{ "catalog": [...] }`. */
  const end = (): z.ZodError | undefined => {
    const body = parsePiece(Buffer.concat(skeleton));
    if (catalogs > 1) return new z.ZodError([{ code: 'custom', path: ['catalog'], message: 'listed more than once', input: undefined }]);
    const result = envelopeSchema.safeParse(body);
    return result.success ? undefined : result.error;
  };

  return { write, end };
};

/** The channel's issues placed under `catalog.<index>`, as validating the whole body would name them. */
const underCatalog = (index: number, error: z.ZodError) =>
  new z.ZodError(error.issues.map((issue) => ({ ...issue, path: ['catalog', index, ...issue.path] })));

/**
 * Reads a catalog reply as it arrives, validating channel by channel with the channel schema, so
 * the body, its parsed copy and the rows never sit in memory at once. A body that is not JSON,
 * or not the documented shape, rejects with UPSTREAM_INVALID_RESPONSE before the sink's result
 * is made: a caller writes nothing.
 */
export const readCatalog = async <T>(body: Readable, status: number, sink: CatalogSink<T>): Promise<T> => {
  const splitter = createSplitter((text, index) => {
    const result = catalogChannelSchema.safeParse(parsePiece(text));
    if (!result.success) throw wrongShapeError('catalog', status, underCatalog(index, result.error));
    sink.channel(toCatalogChannel(result.data));
  });
  try {
    for await (const chunk of body) splitter.write(chunk as Buffer);
    const problem = splitter.end();
    if (problem) throw wrongShapeError('catalog', status, problem);
  } catch (error) {
    body.destroy();
    throw error instanceof NotJson ? notJsonError('catalog', status) : error;
  }
  return sink.end();
};
