import type { DataOf, QueryOf } from '../../../shared/contracts/common';
import type { getReport } from '../../../shared/contracts/reports';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const reportsApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomReport: builder.query<DataOf<typeof getReport>, QueryOf<typeof getReport>>({
      query: (params) => ({ url: apiPath('/reports'), config: { params } }),
      transformResponse: dataOf<DataOf<typeof getReport>>,
      providesTags: [TAG.entitlements],
    }),
  }),
});

export const useReport = (query: QueryOf<typeof getReport>) =>
  reportsApi.useOsteocomReportQuery(query, FRESH);
