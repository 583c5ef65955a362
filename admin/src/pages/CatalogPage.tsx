import { Box, EmptyStateLayout, Flex } from '@strapi/design-system';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useChannels } from '../api/catalog';
import { useCurrency } from '../api/overview';
import { ChannelsTable } from '../components/ChannelsTable';
import { ChannelVideosModal } from '../components/ChannelVideosModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { Pager } from '../components/Pager';
import { SearchField } from '../components/SearchField';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { useT } from '../hooks/useT';
import type { Channel } from '../types';

const PAGE_SIZE = 10;

/**
 * The mirrored channels, searchable and paged; a channel's videos in a modal. `?q=` starts a
 * search (the Content Manager's channel panel links here with the channel's id).
 */
export const CatalogPage = () => {
  const t = useT();
  const [params] = useSearchParams();
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(search);
  const channels = useChannels({ page, pageSize: PAGE_SIZE, q });
  const [selected, setSelected] = useState<Channel | null>(null);
  const currency = useCurrency();

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Box maxWidth="40rem">
        <SearchField
          name="catalog-search"
          label={t('catalog.search')}
          value={search}
          onChange={(value) => {
            setSearch(value);
            setPage(1);
          }}
        />
      </Box>
      {channels.error ? <ErrorAlert error={channels.error} onRetry={channels.refetch} /> : null}
      {!channels.data ? (
        channels.isLoading ? (
          <LoadingBlock />
        ) : null
      ) : channels.data.results.length ? (
        <>
          <ChannelsTable
            channels={channels.data.results}
            currency={currency}
            onShowVideos={setSelected}
          />
          <Pager pagination={channels.data.pagination} onPageChange={setPage} />
        </>
      ) : (
        <EmptyStateLayout content={t(q ? 'catalog.noMatch' : 'catalog.empty')} />
      )}
      <ChannelVideosModal channel={selected} onClose={() => setSelected(null)} />
    </Flex>
  );
};
