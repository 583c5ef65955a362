import { Box, Typography } from '@strapi/design-system';
import { useState } from 'react';
import { useAuditEvents } from '../api/activity';
import { useChannelTitles } from '../api/catalog';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { useT } from '../hooks/useT';
import { AuditEventsTable } from './AuditEventsTable';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Pager } from './Pager';
import { Panel } from './Panel';
import { SearchField } from './SearchField';

const PAGE_SIZE = 10;

/** The audit trail, optionally for one customer (their exact userId). */
export const AuditEventsPanel = ({
  userId,
  onUserIdChange,
}: {
  userId: string;
  onUserIdChange: (userId: string) => void;
}) => {
  const t = useT();
  const [page, setPage] = useState(1);
  const filter = useDebouncedValue(userId);
  const events = useAuditEvents(page, PAGE_SIZE, filter);
  const titles = useChannelTitles();
  return (
    <Panel title={t('audit.title')}>
      <Box maxWidth="40rem">
        <SearchField
          name="audit-user"
          label={t('audit.filter')}
          value={userId}
          onChange={(value) => {
            onUserIdChange(value);
            setPage(1);
          }}
        />
      </Box>
      {events.error ? <ErrorAlert error={events.error} onRetry={events.refetch} /> : null}
      {!events.data ? (
        events.isLoading ? (
          <LoadingBlock />
        ) : null
      ) : events.data.results.length ? (
        <>
          <AuditEventsTable events={events.data.results} titles={titles} />
          <Pager pagination={events.data.pagination} onPageChange={setPage} />
        </>
      ) : (
        <Typography textColor="neutral600">{t('audit.empty')}</Typography>
      )}
    </Panel>
  );
};
