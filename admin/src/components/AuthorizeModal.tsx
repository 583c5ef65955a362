import { Modal } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useCallback, useState } from 'react';
import { useAuthorize } from '../api/access';
import { useChannelOptions } from '../api/catalog';
import { searchSiteUsers } from '../api/customers';
import { useCurrency } from '../api/overview';
import { apiErrorOf } from '../api/errors';
import { useSettings } from '../api/settings';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';
import type { AccessResult, AuthorizeBody } from '../types';
import { accessNotice } from '../utils/accessNotice';
import type { AuthorizeValues } from '../utils/validation';
import { AuthorizeForm } from './AuthorizeForm';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';

export interface AuthorizeModalProps {
  onClose: () => void;
  onAuthorized: (result: AccessResult) => void;
  initialValues?: Partial<AuthorizeValues>;
  lockUserId?: boolean;
}

/** Mounted while open: loads the available channels, posts the authorization, says whether it is active or pending. */
export const AuthorizeModal = ({
  onClose,
  onAuthorized,
  initialValues,
  lockUserId,
}: AuthorizeModalProps) => {
  const t = useT();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const channels = useChannelOptions('available');
  const permissions = usePermissions();
  const currency = useCurrency();
  // The account's email rule, for those who may read the settings; for others the server decides.
  const settings = useSettings(permissions.canReadSettings);
  const rulePending =
    permissions.isLoading || (permissions.canReadSettings && !settings.data && !settings.error);
  const [authorize, { isLoading }] = useAuthorize();
  const [serverError, setServerError] = useState<string | null>(null);
  const searchUsers = useCallback((q: string) => searchSiteUsers(client, q), [client]);

  const submit = async (body: AuthorizeBody) => {
    setServerError(null);
    try {
      const result = await authorize(body).unwrap();
      toggleNotification(
        result.state === 'pending'
          ? { type: 'warning', message: t('authorize.done.pending', { userId: result.userId }) }
          : accessNotice(t, result)
      );
      onAuthorized(result);
    } catch (error) {
      setServerError(apiErrorOf(error).message);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('action.close')}>
          <Modal.Title>{t('authorize.title')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {channels.error ? <ErrorAlert error={channels.error} onRetry={channels.refetch} /> : null}
          {channels.data && !rulePending ? (
            <AuthorizeForm
              channels={channels.data}
              initialValues={initialValues}
              onSubmit={submit}
              onCancel={onClose}
              searchUsers={searchUsers}
              submitting={isLoading}
              serverError={serverError}
              lockUserId={lockUserId}
              emailRequired={settings.data?.values.emailRequired}
              currency={currency}
            />
          ) : channels.isLoading || rulePending ? (
            <LoadingBlock />
          ) : null}
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
};
