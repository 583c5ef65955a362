import { useMemo } from 'react';
import type { Channel, ChannelOption, Paged, Video } from '../types';
import { apiPath } from './paths';
import { useApiQuery } from './useApi';

export interface ChannelQuery {
  page: number;
  pageSize: number;
  q?: string;
  status?: 'available' | 'removed';
}

interface ChannelsReply {
  data: Channel[];
  meta: { pagination: Paged<Channel>['pagination'] };
}

const params = (query: ChannelQuery) => ({ ...query, q: query.q?.trim() || undefined });

export const useChannels = (query: ChannelQuery) =>
  useApiQuery(`channels:${JSON.stringify(query)}`, async (client): Promise<Paged<Channel>> => {
    const { data } = await client.get<ChannelsReply>(apiPath('/channels'), {
      params: params(query),
    });
    return { results: data.data, pagination: data.meta.pagination };
  });

export const useChannelVideos = (idChannel: string | null) =>
  useApiQuery(
    `videos:${idChannel}`,
    async (client) =>
      (
        await client.get<{ data: Video[] }>(
          apiPath(`/channels/${encodeURIComponent(idChannel ?? '')}/videos`)
        )
      ).data.data,
    Boolean(idChannel)
  );

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

/** Every channel of the mirrored catalog (up to 2,000), for pickers and for titles by id. */
export const useChannelOptions = (status?: 'available', enabled = true) =>
  useApiQuery(
    `channel-options:${status ?? 'all'}`,
    async (client): Promise<ChannelOption[]> => {
      const options: ChannelOption[] = [];
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        const { data } = await client.get<ChannelsReply>(apiPath('/channels'), {
          params: { page, pageSize: PAGE_SIZE, status },
        });
        options.push(
          ...data.data.map(({ idChannel, title, price }) => ({ idChannel, title, price }))
        );
        if (page >= data.meta.pagination.pageCount) break;
      }
      return options;
    },
    enabled
  );

/** Channel titles by idChannel, for tables that only hold ids. */
export const useChannelTitles = () => {
  const { data } = useChannelOptions();
  return useMemo(
    () => new Map((data ?? []).map((channel) => [channel.idChannel, channel.title])),
    [data]
  );
};
