import { z } from 'zod';
import { userIdSchema } from './access';
import { upstreamIdSchema } from './requests';

/** `userId` is read only from trusted back ends (API tokens); an end user's is ignored. */
export const videoTokenBodySchema = z.object({ videoId: upstreamIdSchema, userId: userIdSchema.optional() }).strict();
