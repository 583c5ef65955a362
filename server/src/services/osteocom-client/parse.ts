import type { z } from 'zod';
import type { Endpoint } from './endpoints';
import { invalidParamsError, notJsonError, wrongShapeError } from './errors';
import type { UpstreamReply } from './http';

/** A success reply as the schema's output, or UPSTREAM_INVALID_RESPONSE naming the bad fields. */
export const parseReply = <S extends z.ZodType>(
  endpoint: Endpoint,
  reply: UpstreamReply,
  schema: S
): z.output<S> => {
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    throw notJsonError(endpoint, reply.status);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw wrongShapeError(endpoint, reply.status, result.error);
  return result.data;
};

/** Caller input checked before it can reach Osteocom; unknown keys are dropped. */
export const parseParams = <S extends z.ZodType>(
  method: string,
  params: unknown,
  schema: S
): z.output<S> => {
  const result = schema.safeParse(params);
  if (!result.success) throw invalidParamsError(method, result.error);
  return result.data;
};
