import { Flex } from '@strapi/design-system';
import { useSearchParams } from 'react-router-dom';
import { AuditEventsPanel } from '../components/AuditEventsPanel';
import { SyncRunsPanel } from '../components/SyncRunsPanel';

/** Sync runs and the audit trail; `?userId=` filters the trail to one customer. */
export const ActivityPage = () => {
  const [params, setParams] = useSearchParams();
  const userId = params.get('userId') ?? '';
  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <AuditEventsPanel
        userId={userId}
        onUserIdChange={(value) => setParams(value ? { userId: value } : {}, { replace: true })}
      />
      <SyncRunsPanel />
    </Flex>
  );
};
