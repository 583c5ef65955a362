import { getReport, getReportChannels } from '../../../shared/contracts/reports';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  get: defineRoute(getReport, async ({ query }) => ({ data: await getService(strapi, 'reports').report(query) })),
  channels: defineRoute(getReportChannels, ({ query }) => getService(strapi, 'reports').channels(query)),
}));
