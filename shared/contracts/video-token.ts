/** `POST /api/osteocom/video-token`: a short-lived player token for a signed-in customer's video. */
import { z } from 'zod';
import { dataReply, dateTime, upstreamIdSchema, userIdSchema, type RouteContract } from './common';

/** `userId` is read only from trusted back ends (API tokens); an end user's is ignored. */
export const videoTokenBodySchema = z
  .object({
    videoId: upstreamIdSchema,
    userId: userIdSchema.optional().describe('Only read when calling with an API token (a trusted back end); ignored for end users.'),
  })
  .strict();

/** What the token service takes (the route derives `userId` from the caller, a site's own code names it). */
export const videoTokenIssueSchema = videoTokenBodySchema.required({ userId: true });

export const videoTokenSchema = z.object({
  videoId: z.string(),
  token: z.string().describe('The short-lived player token; never store it.'),
  expiresIn: z.int().describe('Seconds left until `expiresAt`.'),
  expiresAt: dateTime,
  playerUrl: z.string().optional().describe('Present when a player URL template is configured.'),
});

export const createVideoToken = {
  body: videoTokenBodySchema,
  reply: dataReply(videoTokenSchema),
  errors: {
    400: ['VALIDATION_ERROR'],
    403: ['NOT_ENTITLED', 'ACCESS_EXPIRED', 'FORBIDDEN'],
    404: ['VIDEO_NOT_FOUND'],
    409: ['ACCESS_PENDING'],
    429: ['RATE_LIMITED'],
    500: ['ENCRYPTION_ERROR'],
    502: ['UPSTREAM_UNAUTHORIZED', 'UPSTREAM_REJECTED', 'UPSTREAM_INVALID_RESPONSE'],
    503: ['UPSTREAM_UNAVAILABLE', 'NOT_CONFIGURED', 'ENCRYPTION_KEY_MISSING', 'DECRYPTION_FAILED'],
  },
} satisfies RouteContract;

export type VideoTokenRequest = z.input<typeof videoTokenBodySchema>;
export type VideoToken = z.infer<typeof videoTokenSchema>;
export type VideoTokenIssueInput = z.input<typeof videoTokenIssueSchema>;
/** Sent with `Cache-Control: no-store`. */
export type VideoTokenResponse = z.infer<typeof createVideoToken.reply>;
