import type { Readable } from 'node:stream';
import { JSONParser, TokenParserError, TokenType, TokenizerError, type ParsedTokenInfo } from '@streamparser/json';
import { z } from 'zod';
import { catalogChannelSchema, type CatalogChannel } from '../../schemas/osteocom';
import { notJsonError, wrongShapeError } from './errors';

/** Receives the catalog's channels one at a time, each already validated, and makes the result. */
export interface CatalogSink<T> {
  channel(channel: CatalogChannel): void;
  end(): T;
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

const KINDS: Partial<Record<TokenType, Kind>> = {
  [TokenType.LEFT_BRACE]: 'object',
  [TokenType.LEFT_BRACKET]: 'array',
  [TokenType.STRING]: 'string',
  [TokenType.NUMBER]: 'number',
  [TokenType.TRUE]: 'boolean',
  [TokenType.FALSE]: 'boolean',
  [TokenType.NULL]: 'null',
};

/** A value of each kind, so the envelope's zod schema words its error as for a whole body. */
const SAMPLES: Record<Kind, unknown> = { object: {}, array: [], string: '', number: 0, boolean: false, null: null };

const envelopeSchema = z.object({ catalog: z.array(z.unknown()) });

/**
 * Follows the top level of the document only: what the body is, and what its `catalog` member
 * is. The channels themselves are assembled by the parser and dropped once handed on.
 */
const createEnvelopeWatcher = () => {
  let depth = 0;
  let body: Kind | undefined;
  let catalog: Kind | undefined;
  let catalogs = 0;
  let key: string | undefined;
  let afterColon = false;

  const see = ({ token, value }: ParsedTokenInfo) => {
    if (depth === 0) body ??= KINDS[token];
    else if (depth === 1 && body === 'object') {
      if (afterColon) {
        afterColon = false;
        if (key === 'catalog') [catalog, catalogs] = [KINDS[token], catalogs + 1];
      } else if (token === TokenType.STRING) key = value as string;
      else if (token === TokenType.COLON) afterColon = true;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth += 1;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth -= 1;
  };

  /** A ZodError when the body is not `{ "catalog": [...] }` (JSON.parse would keep the last of two). */
  const problem = (): z.ZodError | undefined => {
    if (catalogs > 1) return new z.ZodError([{ code: 'custom', path: ['catalog'], message: 'listed more than once', input: undefined }]);
    const sample = body === 'object' ? { catalog: catalog ? SAMPLES[catalog] : undefined } : body && SAMPLES[body];
    const result = envelopeSchema.safeParse(sample);
    return result.success ? undefined : result.error;
  };

  return { see, problem, isArray: () => catalog === 'array' && catalogs === 1 };
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
  const envelope = createEnvelopeWatcher();
  const parser = new JSONParser({ paths: ['$.catalog.*'], keepStack: false });
  let failure: unknown;
  parser.onError = (error) => {
    failure ??= error;
  };
  parser.onToken = envelope.see;
  parser.onValue = ({ value, key }) => {
    if (!envelope.isArray() || typeof key !== 'number') return;
    const result = catalogChannelSchema.safeParse(value);
    if (!result.success) throw wrongShapeError('catalog', status, underCatalog(key, result.error));
    sink.channel(result.data);
  };

  const rethrow = () => {
    if (failure === undefined) return;
    body.destroy();
    throw failure instanceof TokenizerError || failure instanceof TokenParserError ? notJsonError('catalog', status) : failure;
  };

  for await (const chunk of body) {
    parser.write(chunk as Buffer);
    rethrow();
  }
  if (!parser.isEnded) parser.end();
  rethrow();
  const problem = envelope.problem();
  if (problem) throw wrongShapeError('catalog', status, problem);
  return sink.end();
};
