import { Button, Dialog, Flex } from '@strapi/design-system';
import { Download, Trash } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { exportFileName, fetchCustomerExport, useEraseCustomer } from '../api/customers';
import { apiErrorOf } from '../api/errors';
import { useT } from '../hooks/useT';
import { saveFile } from '../utils/saveFile';

/**
 * GDPR requests on the customer page: "Export personal data" saves the JSON file the server
 * builds (art. 15); "Erase personal data" blanks the profile after a confirmation (art. 17).
 * Each shown only with its own action.
 */
export const PersonalDataActions = ({
  userId,
  canExport,
  canErase,
}: {
  userId: string;
  canExport: boolean;
  canErase: boolean;
}) => {
  const t = useT();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [exporting, setExporting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [erase] = useEraseCustomer();

  const notifyError = (error: unknown) => {
    const { message, code } = apiErrorOf(error);
    toggleNotification({ type: 'danger', message: code ? `${message} (${code})` : message });
  };

  const download = async () => {
    setExporting(true);
    try {
      saveFile(exportFileName(userId), await fetchCustomerExport(client, userId), 'application/json');
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(false);
    }
  };

  const confirmErase = async () => {
    try {
      const result = await erase(userId).unwrap();
      toggleNotification({
        type: 'success',
        message: t(result.changed ? 'personalData.erased' : 'personalData.alreadyErased', {
          userId,
        }),
      });
    } catch (error) {
      notifyError(error);
    }
    setConfirming(false);
  };

  if (!canExport && !canErase) return null;
  return (
    <Flex gap={2} wrap="wrap">
      {canExport ? (
        <Button variant="secondary" startIcon={<Download />} loading={exporting} onClick={download}>
          {t('personalData.export')}
        </Button>
      ) : null}
      {canErase ? (
        <Dialog.Root open={confirming} onOpenChange={setConfirming}>
          <Dialog.Trigger>
            <Button variant="danger-light" startIcon={<Trash />}>
              {t('personalData.erase')}
            </Button>
          </Dialog.Trigger>
          <ConfirmDialog
            title={t('personalData.erase.title')}
            variant="danger"
            onConfirm={confirmErase}
          >
            {t('personalData.erase.confirm', { userId })}
          </ConfirmDialog>
        </Dialog.Root>
      ) : null}
    </Flex>
  );
};
