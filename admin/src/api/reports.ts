import type { FetchClient } from '@strapi/strapi/admin';
import type { DataOf, QueryOf, ReplyOf } from '../../../shared/contracts/common';
import type { getReport, getReportChannels, ReportChannel } from '../../../shared/contracts/reports';
import type { Paged } from '../types';
import { dataOf, FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

type ChannelsQuery = QueryOf<typeof getReportChannels>;

const reportsApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomReport: builder.query<DataOf<typeof getReport>, QueryOf<typeof getReport>>({
      query: (params) => ({ url: apiPath('/reports'), config: { params } }),
      transformResponse: dataOf<DataOf<typeof getReport>>,
      providesTags: [TAG.entitlements],
    }),
    osteocomReportChannels: builder.query<Paged<ReportChannel>, ChannelsQuery>({
      query: (params) => ({ url: apiPath('/reports/channels'), config: { params } }),
      transformResponse: toPaged<ReportChannel>,
      providesTags: [TAG.entitlements],
    }),
  }),
});

export const useReport = (query: QueryOf<typeof getReport>) =>
  reportsApi.useOsteocomReportQuery(query, FRESH);

export const useReportChannels = (query: ChannelsQuery) =>
  reportsApi.useOsteocomReportChannelsQuery(query, FRESH);

/**
 * Every channel of a report's period, the largest page at a time (the CSV lists them all). A sale
 * between two pages can move a channel across them: each is kept once, where first seen.
 */
export const fetchAllReportChannels = async (
  client: FetchClient,
  period: Pick<ChannelsQuery, 'from' | 'to'>
) => {
  const rows = new Map<string, ReportChannel>();
  for (let page = 1; ; page++) {
    const { data } = await client.get<ReplyOf<typeof getReportChannels>>(
      apiPath('/reports/channels'),
      { params: { ...period, page, pageSize: 100 } }
    );
    for (const row of data.data) rows.set(row.idChannel, rows.get(row.idChannel) ?? row);
    if (page >= data.meta.pagination.pageCount) return [...rows.values()];
  }
};
