import { channelListQuerySchema, channelParamsSchema, paginationSchema } from '../schemas/requests';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async adminChannels(ctx) {
    const { results, pagination } = await getService(strapi, 'catalog').listForAdmin(channelListQuerySchema.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },

  async adminVideos(ctx) {
    const { idChannel } = channelParamsSchema.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'catalog').videosForAdmin(idChannel) };
  },

  async find(ctx) {
    const { results, pagination } = await getService(strapi, 'catalog').listPublic(paginationSchema.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },

  async findOne(ctx) {
    const { idChannel } = channelParamsSchema.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'catalog').getPublic(idChannel), meta: {} };
  },
}));
