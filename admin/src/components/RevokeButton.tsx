import { Button, Dialog } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useState } from 'react';
import { useT } from '../hooks/useT';

/** "Revoke" behind a confirmation; `onConfirm` posts the revocation. */
export const RevokeButton = ({
  channelTitle,
  userId,
  onConfirm,
  disabled,
}: {
  channelTitle: string;
  userId: string;
  onConfirm: () => Promise<void>;
  disabled?: boolean;
}) => {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        <Button variant="danger-light" size="S" startIcon={<Cross />} disabled={disabled}>
          {t('revoke.action')}
        </Button>
      </Dialog.Trigger>
      <ConfirmDialog
        title={t('revoke.title')}
        variant="danger"
        onConfirm={async () => {
          await onConfirm();
          setOpen(false);
        }}
      >
        {t('revoke.confirm', { channel: channelTitle, userId })}
      </ConfirmDialog>
    </Dialog.Root>
  );
};
