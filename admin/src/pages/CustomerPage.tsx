import { Button, EmptyStateLayout, Flex, Link, Typography } from '@strapi/design-system';
import { ArrowLeft, Plus } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { NavLink, useParams } from 'react-router-dom';
import { useAuthorize, useRevoke } from '../api/access';
import { useChannelTitles } from '../api/catalog';
import { useCustomer } from '../api/customers';
import { apiErrorOf } from '../api/errors';
import { AuthorizeModal } from '../components/AuthorizeModal';
import { CustomerProfile } from '../components/CustomerProfile';
import { EntitlementsTable } from '../components/EntitlementsTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { Panel } from '../components/Panel';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';
import type { AccessResult, Entitlement } from '../types';

/** One customer: profile, entitlements with Revoke / Retry, and "Authorize access" for more channels. */
export const CustomerPage = () => {
  const t = useT();
  const { userId = '' } = useParams();
  const { canAuthorize, canRevoke } = usePermissions();
  const { toggleNotification } = useNotification();
  const customer = useCustomer(userId);
  const titles = useChannelTitles();
  const authorize = useAuthorize();
  const revoke = useRevoke();
  const [busy, setBusy] = useState<string | null>(null);
  const [authorizing, setAuthorizing] = useState(false);

  const notify = (result: AccessResult) => {
    const messages = {
      active: { type: 'success', message: t('authorize.done.active', { userId }) },
      revoked: { type: 'success', message: t('revoke.done', { userId }) },
      pending: { type: 'warning', message: t('access.pending', { userId }) },
    } as const;
    toggleNotification(messages[result.state]);
  };

  /** Runs one entitlement action, reports its outcome and reloads the customer. */
  const act = async (entitlement: Entitlement, run: () => Promise<AccessResult>) => {
    setBusy(entitlement.channelKey);
    try {
      notify(await run());
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiErrorOf(error).message });
    } finally {
      setBusy(null);
      customer.refetch();
    }
  };

  const onRevoke = (entitlement: Entitlement) =>
    act(entitlement, () => revoke.mutate({ userId, channelId: entitlement.channelKey }));

  /** Pending or failed: re-post the same operation for that channel. */
  const onRetry = (entitlement: Entitlement) =>
    act(entitlement, () => {
      if (entitlement.pendingOperation === 'revoke')
        return revoke.mutate({ userId, channelId: entitlement.channelKey });
      const profile = customer.data;
      return authorize.mutate({
        userId,
        marketingConsent: Boolean(profile?.marketingConsent),
        ...(profile?.email ? { email: profile.email } : {}),
        ...(profile?.name ? { name: profile.name } : {}),
        ...(profile?.surname ? { surname: profile.surname } : {}),
        products: [
          {
            productId: entitlement.channelKey,
            ...(entitlement.price != null ? { price: entitlement.price } : {}),
          },
        ],
      });
    });

  const back = (
    <Link tag={NavLink} to={`/plugins/${PLUGIN_ID}/customers`} startIcon={<ArrowLeft />}>
      {t('customer.back')}
    </Link>
  );

  if (!customer.data) {
    const notFound = apiErrorOf(customer.error).code === 'CUSTOMER_NOT_FOUND';
    return (
      <Flex direction="column" alignItems="stretch" gap={4}>
        {back}
        {customer.isLoading ? <LoadingBlock /> : null}
        {!customer.isLoading && notFound ? (
          <EmptyStateLayout content={t('customer.notFound', { userId })} />
        ) : null}
        {!customer.isLoading && customer.error && !notFound ? (
          <ErrorAlert error={customer.error} onRetry={customer.refetch} />
        ) : null}
      </Flex>
    );
  }

  const data = customer.data;
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
      </Panel>
      <Panel title={t('entitlements.title')}>
        {data.entitlements.length ? (
          <EntitlementsTable
            userId={data.userId}
            entitlements={data.entitlements}
            titles={titles}
            canRevoke={canRevoke}
            canAuthorize={canAuthorize}
            busy={busy}
            onRevoke={onRevoke}
            onRetry={onRetry}
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
          onAuthorized={() => {
            setAuthorizing(false);
            customer.refetch();
          }}
        />
      ) : null}
    </Flex>
  );
};
