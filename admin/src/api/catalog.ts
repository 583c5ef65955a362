import { useMemo } from 'react';
import type { adminChannels, adminVideos } from '../../../shared/contracts/catalog';
import type { DataOf, QueryOf, ReplyOf } from '../../../shared/contracts/common';
import type { ChannelOption, Paged } from '../types';
import { dataOf, FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

const catalogApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomChannels: builder.query<Paged<DataOf<typeof adminChannels>[number]>, QueryOf<typeof adminChannels>>({
      query: (query) => ({
        url: apiPath('/channels'),
        config: { params: { ...query, q: query.q?.trim() || undefined } },
      }),
      transformResponse: toPaged<DataOf<typeof adminChannels>[number]>,
      providesTags: [TAG.channels],
    }),
    osteocomChannelVideos: builder.query<DataOf<typeof adminVideos>, string>({
      query: (idChannel) => apiPath(`/channels/${encodeURIComponent(idChannel)}/videos`),
      transformResponse: dataOf<DataOf<typeof adminVideos>>,
      providesTags: [TAG.channels],
    }),
    /** Every channel of the mirrored catalog (up to 2,000), for pickers and for titles by id. */
    osteocomChannelOptions: builder.query<ChannelOption[], 'available' | undefined>({
      async queryFn(status, _api, _options, baseQuery) {
        const options: ChannelOption[] = [];
        for (let page = 1; page <= MAX_PAGES; page += 1) {
          const reply = await baseQuery({
            url: apiPath('/channels'),
            config: { params: { page, pageSize: PAGE_SIZE, status } },
          });
          if (reply.error) return { error: reply.error };
          const { data, meta } = reply.data as ReplyOf<typeof adminChannels>;
          options.push(...data.map(({ idChannel, title, price }) => ({ idChannel, title, price })));
          if (page >= meta.pagination.pageCount) break;
        }
        return { data: options };
      },
      providesTags: [TAG.channels],
    }),
  }),
});

export const useChannels = (query: QueryOf<typeof adminChannels>) =>
  catalogApi.useOsteocomChannelsQuery(query, FRESH);

/** Skipped while no channel is picked. */
export const useChannelVideos = (idChannel: string | null) =>
  catalogApi.useOsteocomChannelVideosQuery(idChannel ?? '', { ...FRESH, skip: !idChannel });

export const useChannelOptions = (status?: 'available') =>
  catalogApi.useOsteocomChannelOptionsQuery(status, FRESH);

/** Channel titles by idChannel, for tables that only hold ids. */
export const useChannelTitles = () => {
  const { data } = useChannelOptions();
  return useMemo(
    () => new Map((data ?? []).map((channel) => [channel.idChannel, channel.title])),
    [data]
  );
};
