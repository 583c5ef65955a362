import type { Core } from '@strapi/strapi';
import { OsteocomError, parseInput } from '../../errors';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createStorefrontRepository } from '../../repositories/storefront-repository';
import { createVideoRepository, type PublicVideo } from '../../repositories/video-repository';
import { paginationQuerySchema, type PaginationQuery as Pagination } from '../../../../shared/contracts/common';
import { paginate } from '../../utils/pagination';

/** Reads of the mirrored catalog, for the admin and the public content API. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const videos = createVideoRepository(strapi);
  const storefront = createStorefrontRepository(strapi);

  const videosOf = async (keys: string[]) => {
    const byChannel = new Map<string, PublicVideo[]>();
    if (!keys.length) return byChannel;
    for (const { channelKey, ...video } of await videos.availableOf(keys)) {
      byChannel.set(channelKey, [...(byChannel.get(channelKey) ?? []), video]);
    }
    return byChannel;
  };

  return {
    /** Listed, available channels in the editors' order (featured, position, title); `{ page, pageSize }` as the route's query. */
    async listPublic(input: unknown = {}) {
      const pagination = parseInput(paginationQuerySchema, input);
      const { rows, total } = await storefront.page(pagination);
      const byChannel = await videosOf(rows.map((row) => row.idChannel));
      return {
        results: rows.map((row) => ({ ...row, videos: byChannel.get(row.idChannel) ?? [] })),
        pagination: paginate(pagination, total),
      };
    },

    /** A listed, available channel by Osteocom id or slug. */
    async getPublic(idChannelOrSlug: string) {
      const row = await storefront.find(idChannelOrSlug);
      if (!row) throw new OsteocomError('CHANNEL_NOT_FOUND', `No available channel "${idChannelOrSlug}".`);
      const byChannel = await videosOf([row.idChannel]);
      return { ...row, videos: byChannel.get(row.idChannel) ?? [] };
    },

    async listForAdmin(query: Pagination & { q?: string; status?: 'available' | 'removed' }) {
      const { rows, total } = await channels.pageForAdmin(query, query);
      const counts = await videos.availableCounts(rows.map((row) => row.idChannel));
      return {
        results: rows.map(({ availability, ...row }) => ({ ...row, status: availability, videoCount: counts.get(row.idChannel) ?? 0 })),
        pagination: paginate(query, total),
      };
    },

    async videosForAdmin(idChannel: string) {
      if (!(await channels.exists(idChannel))) throw new OsteocomError('CHANNEL_NOT_FOUND', `No channel "${idChannel}".`);
      return (await videos.ofChannel(idChannel)).map(({ availability, ...video }) => ({ ...video, status: availability }));
    },
  };
};
