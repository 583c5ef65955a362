import { Badge, Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';
import type { CustomerSummary } from '../types';
import { fullName } from '../utils/format';
import { TableHeader } from './TableHeader';

export const customerPath = (userId: string) =>
  `/plugins/${PLUGIN_ID}/customers/${encodeURIComponent(userId)}`;

/** Customers: userId (links to their access), email, name, active channels, open operations. */
export const CustomersTable = ({
  customers,
  titles,
}: {
  customers: CustomerSummary[];
  titles: Map<string, string>;
}) => {
  const t = useT();
  return (
    <Table colCount={5} rowCount={customers.length + 1}>
      <TableHeader
        columns={[
          t('customers.userId'),
          t('customers.email'),
          t('customers.name'),
          t('customers.activeChannels'),
          t('customers.open'),
        ]}
      />
      <Tbody>
        {customers.map((customer) => (
          <Tr key={customer.userId} data-testid="customer-row">
            <Td>
              <Link tag={NavLink} to={customerPath(customer.userId)}>
                {customer.userId}
              </Link>
            </Td>
            <Td>
              <Typography>{customer.email ?? '–'}</Typography>
            </Td>
            <Td>
              <Typography>{fullName(customer.name, customer.surname) ?? '–'}</Typography>
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography fontWeight="semiBold">{customer.activeChannels.length}</Typography>
                {customer.activeChannels.length ? (
                  <Typography variant="pi" textColor="neutral600" ellipsis>
                    {customer.activeChannels.map((id) => titles.get(id) ?? id).join(', ')}
                  </Typography>
                ) : null}
              </Flex>
            </Td>
            <Td>
              <Flex gap={1}>
                {customer.pending ? (
                  <Badge variant="warning">
                    {t('customers.pendingCount', { count: customer.pending })}
                  </Badge>
                ) : null}
                {customer.failed ? (
                  <Badge variant="danger">
                    {t('customers.failedCount', { count: customer.failed })}
                  </Badge>
                ) : null}
                {!customer.pending && !customer.failed ? (
                  <Typography textColor="neutral500">–</Typography>
                ) : null}
              </Flex>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
