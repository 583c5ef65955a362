import { Flex, Link } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';
import type { CustomerDetail } from '../types';
import { fullName } from '../utils/format';
import { DateTime } from './DateTime';
import { Detail } from './Detail';

/** Who the customer is, as the site told Osteocom; a link to their audit trail. */
export const CustomerProfile = ({ customer }: { customer: CustomerDetail }) => {
  const t = useT();
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={8} wrap="wrap" alignItems="flex-start">
        <Detail label={t('customers.email')}>{customer.email ?? '–'}</Detail>
        <Detail label={t('customers.name')}>
          {fullName(customer.name, customer.surname) ?? '–'}
        </Detail>
        <Detail label={t('customer.marketingConsent')}>
          {t(customer.marketingConsent ? 'common.yes' : 'common.no')}
        </Detail>
        <Detail label={t('customer.since')}>
          <DateTime value={customer.createdAt} />
        </Detail>
        {customer.erasedAt ? (
          <Detail label={t('customer.erasedAt')}>
            <DateTime value={customer.erasedAt} />
          </Detail>
        ) : null}
      </Flex>
      <Link
        tag={NavLink}
        to={`/plugins/${PLUGIN_ID}/activity?userId=${encodeURIComponent(customer.userId)}`}
      >
        {t('customer.activity')}
      </Link>
    </Flex>
  );
};
