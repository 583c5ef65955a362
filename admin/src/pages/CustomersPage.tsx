import { Box, Button, EmptyStateLayout, Flex } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useChannelTitles } from '../api/catalog';
import { useCustomers } from '../api/customers';
import { AuthorizeModal } from '../components/AuthorizeModal';
import { customerPath, CustomersTable } from '../components/CustomersTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { MembersExportButton } from '../components/MembersExportButton';
import { Pager } from '../components/Pager';
import { SearchField } from '../components/SearchField';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';

const PAGE_SIZE = 10;

/** Customers, searchable and paged; "Authorize access" for those allowed to. */
export const CustomersPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const { canAuthorize, canExportMembers } = usePermissions();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(search);
  const customers = useCustomers({ page, pageSize: PAGE_SIZE, q });
  const titles = useChannelTitles();
  const [authorizing, setAuthorizing] = useState(false);

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4}>
        <Box flex="1" maxWidth="40rem">
          <SearchField
            name="customer-search"
            label={t('customers.search')}
            value={search}
            onChange={(value) => {
              setSearch(value);
              setPage(1);
            }}
          />
        </Box>
        <Flex gap={2}>
          {canExportMembers ? <MembersExportButton filter={{ q: q.trim() || undefined }} /> : null}
          {canAuthorize ? (
            <Button startIcon={<Plus />} onClick={() => setAuthorizing(true)}>
              {t('authorize.open')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      {customers.error ? <ErrorAlert error={customers.error} onRetry={customers.refetch} /> : null}
      {!customers.data ? (
        customers.isLoading ? (
          <LoadingBlock />
        ) : null
      ) : customers.data.results.length ? (
        <>
          <CustomersTable customers={customers.data.results} titles={titles} />
          <Pager pagination={customers.data.pagination} onPageChange={setPage} />
        </>
      ) : (
        <EmptyStateLayout content={t(q ? 'customers.noMatch' : 'customers.empty')} />
      )}
      {authorizing ? (
        <AuthorizeModal
          onClose={() => setAuthorizing(false)}
          onAuthorized={(result) => {
            setAuthorizing(false);
            navigate(customerPath(result.userId));
          }}
        />
      ) : null}
    </Flex>
  );
};
