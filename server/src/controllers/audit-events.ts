import { findAuditEvents } from '../../../shared/contracts/audit-events';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  find: defineRoute(findAuditEvents, async ({ query }) => {
    const { results, pagination } = await getService(strapi, 'audit').list(query);
    return { data: results, meta: { pagination } };
  }),
}));
