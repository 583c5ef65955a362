import { adminChannels, adminVideos, findChannel, findChannels } from '../../../shared/contracts/catalog';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async adminChannels(ctx) {
    const { results, pagination } = await getService(strapi, 'catalog').listForAdmin(adminChannels.query.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },

  async adminVideos(ctx) {
    const { idChannel } = adminVideos.params.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'catalog').videosForAdmin(idChannel) };
  },

  async find(ctx) {
    const { results, pagination } = await getService(strapi, 'catalog').listPublic(findChannels.query.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },

  async findOne(ctx) {
    const { idChannelOrSlug } = findChannel.params.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'catalog').getPublic(idChannelOrSlug), meta: {} };
  },
}));
