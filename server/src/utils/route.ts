import type { Context } from 'koa';
import type { z } from 'zod';
import type { RouteContract } from '../../../shared/contracts/common';
import { describeIssues } from '../errors';

type Parsed<Contract, Key extends 'params' | 'query' | 'body'> = Contract extends { [K in Key]: infer Schema extends z.ZodType } ? z.output<Schema> : undefined;

/** What a route's handler receives: its request parsed with the contract, and the context for status and headers. */
export interface RouteInput<Contract extends RouteContract> {
  params: Parsed<Contract, 'params'>;
  query: Parsed<Contract, 'query'>;
  body: Parsed<Contract, 'body'>;
  ctx: Context;
}

/** What a route's handler must answer: the contract's reply, before JSON (a `Date` is not a date-time string). */
export type Reply<Contract extends RouteContract> = z.input<Contract['reply']>;

export interface RouteOptions<Contract extends RouteContract> {
  /** How the reply goes out; default `ctx.body = reply`. */
  send?: (ctx: Context, reply: Reply<Contract>) => void;
}

const parse = (schema: z.ZodType | undefined, value: unknown) => schema?.parse(value);

/** Tests (`OSTEOCOM_VALIDATE_REPLIES=1`) parse every reply, as it goes on the wire, with its contract: drift fails a test, not a client. */
const checkReply = (contract: RouteContract, reply: unknown, ctx: Context) => {
  if (process.env.OSTEOCOM_VALIDATE_REPLIES !== '1') return;
  const result = contract.reply.safeParse(JSON.parse(JSON.stringify(reply)));
  // A plain Error, not the ZodError: that would become the client's 400.
  if (!result.success) throw new Error(`[osteocom] the reply of ${ctx.method} ${ctx.path} does not match its contract: ${describeIssues(result.error)}`);
};

/**
 * A controller action bound to its route's contract: the params, query and body are parsed with
 * the contract's schemas (a ZodError becomes a 400 in defineController), and the handler must
 * answer the contract's reply type, so a reply that drifts from it fails `tsc`.
 */
export const defineRoute =
  <Contract extends RouteContract>(contract: Contract, handler: (input: RouteInput<Contract>) => Promise<Reply<Contract>>, options: RouteOptions<Contract> = {}) =>
  async (ctx: Context) => {
    const input = {
      params: parse(contract.params, ctx.params),
      query: parse(contract.query, ctx.query),
      body: parse(contract.body, ctx.request.body ?? {}),
      ctx,
    } as RouteInput<Contract>;
    const reply = await handler(input);
    checkReply(contract, reply, ctx);
    if (options.send) options.send(ctx, reply);
    else ctx.body = reply;
  };
