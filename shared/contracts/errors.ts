import { z } from 'zod';

/**
 * The stable error codes (`details.code`) and the HTTP status each is answered with. Callers
 * switch on the code, never on the message.
 */
export const ERROR_CODES = {
  VALIDATION_ERROR: 400,
  MALFORMED_REQUEST: 400,
  TOO_MANY_ROWS: 400,
  POPULATE_NOT_ALLOWED: 400,
  FILTER_NOT_ALLOWED: 400,
  SORT_NOT_ALLOWED: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_ERROR: 500,
  INVALID_CONFIG: 500,
  EMAIL_REQUIRED: 400,
  INVALID_EMAIL: 400,
  UNKNOWN_CHANNEL: 400,
  BASE_URL_NOT_ALLOWED: 400,
  PLAYER_URL_NOT_ALLOWED: 400,
  NOT_CONFIGURED: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_ENTITLED: 403,
  VIDEO_NOT_FOUND: 404,
  CHANNEL_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  ENTITLEMENT_NOT_FOUND: 404,
  ACCESS_PENDING: 409,
  ACCESS_EXPIRED: 403,
  ACCESS_PAUSED: 403,
  ACCESS_NOT_STARTED: 403,
  ACCESS_NOT_ACTIVE: 409,
  ACCESS_NOT_PAUSED: 409,
  SYNC_ALREADY_RUNNING: 409,
  SUSPECT_CATALOG: 409,
  RATE_LIMITED: 429,
  UPSTREAM_UNAUTHORIZED: 502,
  NOT_AUTHORIZED_UPSTREAM: 403,
  UPSTREAM_REJECTED: 502,
  UPSTREAM_INVALID_RESPONSE: 502,
  UPSTREAM_PROTOCOL_ERROR: 502,
  UPSTREAM_UNAVAILABLE: 503,
  ENCRYPTION_ERROR: 500,
  ENCRYPTION_KEY_MISSING: 503,
  DECRYPTION_FAILED: 503,
  KEY_ROTATION_ALREADY_RUNNING: 409,
  PENDING_OPERATIONS: 409,
  SEARCH_BY_POST: 400,
  INVALID_PERIOD: 400,
  TOO_MANY_BUCKETS: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const errorCodeSchema = z
  .enum(ERROR_CODE_NAMES)
  .meta({ description: 'Stable error codes: switch on these, not on the message. See the README for when each occurs.' });

/** Every error the plugin raises, in Strapi's error shape. */
export const errorReplySchema = z
  .object({
    data: z.null().describe('Always null.'),
    error: z.object({
      status: z.int(),
      name: z.string().meta({ example: 'ForbiddenError' }),
      message: z.string().describe('For people; never contains secrets.'),
      details: z
        .object({
          code: errorCodeSchema,
          errors: z
            .array(z.object({ path: z.array(z.string()), message: z.string() }))
            .optional()
            .describe('With `VALIDATION_ERROR`: the fields at fault.'),
          unknown: z.array(z.string()).optional().describe('With `UNKNOWN_CHANNEL`: the products that are not available channels.'),
        })
        .catchall(z.unknown()),
    }),
  })
  .meta({ description: "Every error the plugin raises: Strapi's error shape with a stable `details.code`." });

/** An error from Strapi itself (credentials, a role without the permission): no `details.code`. */
export const strapiErrorReplySchema = z
  .object({
    data: z.null(),
    error: z.object({ status: z.int(), name: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  })
  .meta({
    description: 'An error from Strapi itself (missing or invalid credentials, a role without the permission): no `details.code`.',
  });

export type ErrorReply = z.infer<typeof errorReplySchema>;
