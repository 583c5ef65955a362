import { Button, Dialog, Flex } from '@strapi/design-system';
import { Download, Trash } from '@strapi/icons';
import { ConfirmDialog, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { exportFileName, fetchCustomerExport, useEraseCustomer } from '../api/customers';
import { apiErrorOf } from '../api/errors';
import { useT } from '../hooks/useT';

/** Hands the browser a file to save, from text already in memory. */
const saveFile = (name: string, text: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // Revoked once the browser has taken the file: at once would cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

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
      saveFile(exportFileName(userId), await fetchCustomerExport(client, userId));
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
