import { adminChannels, adminVideos, findChannel, findChannels } from '../../../shared/contracts/catalog';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  adminChannels: defineRoute(adminChannels, async ({ query }) => {
    const { results, pagination } = await getService(strapi, 'catalog').listForAdmin(query);
    return { data: results, meta: { pagination } };
  }),

  adminVideos: defineRoute(adminVideos, async ({ params }) => ({ data: await getService(strapi, 'catalog').videosForAdmin(params.idChannel) })),

  find: defineRoute(findChannels, async ({ query }) => {
    const { results, pagination } = await getService(strapi, 'catalog').listPublic(query);
    return { data: results, meta: { pagination } };
  }),

  findOne: defineRoute(findChannel, async ({ params }) => ({ data: await getService(strapi, 'catalog').getPublic(params.idChannel), meta: {} })),
}));
