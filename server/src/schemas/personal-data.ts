import { z } from 'zod';
import { userIdSchema } from './access';

/** `GET /osteocom/customers/:userId/export` and `POST /osteocom/customers/:userId/erase`: the customer named in the path. */
export const personalDataParamsSchema = z.object({ userId: userIdSchema }).strip();
