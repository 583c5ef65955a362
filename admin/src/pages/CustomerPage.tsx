import { Button, EmptyStateLayout, Flex, Link, Typography } from '@strapi/design-system';
import { ArrowLeft, Plus } from '@strapi/icons';
import { useState } from 'react';
import { NavLink, useParams } from 'react-router-dom';
import { usePause, useResend, useResume, useRevoke } from '../api/access';
import { useCustomer } from '../api/customers';
import { useCurrency } from '../api/overview';
import { apiErrorOf } from '../api/errors';
import { AuthorizeModal } from '../components/AuthorizeModal';
import { CustomerProfile } from '../components/CustomerProfile';
import { EntitlementsTable } from '../components/EntitlementsTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { PersonalDataActions } from '../components/PersonalDataActions';
import { Panel } from '../components/Panel';
import { useAccessAction } from '../hooks/useAccessAction';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';
import type { Entitlement } from '../types';

/**
 * One customer: profile with its personal-data requests (export, erase), entitlements with
 * Revoke / Re-send / Pause / Resume, and "Authorize access" for more channels.
 */
export const CustomerPage = () => {
  const t = useT();
  const { userId = '' } = useParams();
  const { canAuthorize, canRevoke, canExportCustomer, canEraseCustomer } = usePermissions();
  const customer = useCustomer(userId);
  const currency = useCurrency();
  const [revoke] = useRevoke();
  const [resend] = useResend();
  const [pause] = usePause();
  const [resume] = useResume();
  const action = useAccessAction();
  const [authorizing, setAuthorizing] = useState(false);

  const onRevoke = (entitlement: Entitlement) =>
    action.run(entitlement.channelKey, () =>
      revoke({ userId, channelId: entitlement.channelKey }).unwrap()
    );

  const onPause = (entitlement: Entitlement) =>
    action.run(entitlement.channelKey, () => pause({ userId, channelId: entitlement.channelKey }).unwrap());

  const onResume = (entitlement: Entitlement) =>
    action.run(entitlement.channelKey, () => resume({ userId, channelId: entitlement.channelKey }).unwrap());

  /** The re-send route needs `authorize`; without it a refund is re-posted as a revocation. */
  const onResend = (entitlement: Entitlement) =>
    action.run(entitlement.channelKey, () => {
      const body = { userId, channelId: entitlement.channelKey };
      return (canAuthorize ? resend(body) : revoke(body)).unwrap();
    });

  const back = (
    <Link tag={NavLink} to={`/plugins/${PLUGIN_ID}/customers`} startIcon={<ArrowLeft />}>
      {t('customer.back')}
    </Link>
  );

  // `currentData`, not `data`: going from one customer to another, never the previous one's rows.
  const data = customer.currentData;
  if (!data) {
    const notFound = apiErrorOf(customer.error).code === 'CUSTOMER_NOT_FOUND';
    return (
      <Flex direction="column" alignItems="stretch" gap={4}>
        {back}
        {customer.isFetching ? <LoadingBlock /> : null}
        {!customer.isFetching && notFound ? (
          <EmptyStateLayout content={t('customer.notFound', { userId })} />
        ) : null}
        {!customer.isFetching && customer.error && !notFound ? (
          <ErrorAlert error={customer.error} onRetry={customer.refetch} />
        ) : null}
      </Flex>
    );
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {back}
      <Panel
        title={t('customer.title', { userId: data.userId })}
        action={
          canAuthorize ? (
            <Button startIcon={<Plus />} onClick={() => setAuthorizing(true)}>
              {t('authorize.open')}
            </Button>
          ) : undefined
        }
      >
        <CustomerProfile customer={data} />
        <PersonalDataActions
          userId={data.userId}
          canExport={canExportCustomer}
          canErase={canEraseCustomer}
        />
      </Panel>
      <Panel title={t('entitlements.title')}>
        {data.entitlements.length ? (
          <EntitlementsTable
            userId={data.userId}
            entitlements={data.entitlements}
            currency={currency}
            canRevoke={canRevoke}
            canAuthorize={canAuthorize}
            busy={action.busy}
            onRevoke={onRevoke}
            onResend={onResend}
            onPause={onPause}
            onResume={onResume}
          />
        ) : (
          <Typography textColor="neutral600">{t('entitlements.empty')}</Typography>
        )}
      </Panel>
      {authorizing ? (
        <AuthorizeModal
          lockUserId
          initialValues={{
            userId: data.userId,
            email: data.email ?? '',
            name: data.name ?? '',
            surname: data.surname ?? '',
            marketingConsent: Boolean(data.marketingConsent),
          }}
          onClose={() => setAuthorizing(false)}
          onAuthorized={() => setAuthorizing(false)}
        />
      ) : null}
    </Flex>
  );
};
