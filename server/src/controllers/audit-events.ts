import { findAuditEvents } from '../../../shared/contracts/audit-events';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async find(ctx) {
    const { results, pagination } = await getService(strapi, 'audit').list(findAuditEvents.query.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },
}));
