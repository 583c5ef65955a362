import { Button, Dialog } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useState } from 'react';
import { useT } from '../hooks/useT';

/** "Re-send all" behind a confirmation that says how many rows go out; `onConfirm` posts it. */
export const ResendAllButton = ({
  count,
  onConfirm,
  disabled,
  loading,
}: {
  count: number;
  onConfirm: () => Promise<void>;
  disabled?: boolean;
  loading?: boolean;
}) => {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>
        <Button
          variant="secondary"
          startIcon={<ArrowClockwise />}
          disabled={disabled}
          loading={loading}
          data-testid="resend-all"
        >
          {t('attention.resendAll')}
        </Button>
      </Dialog.Trigger>
      <ConfirmDialog
        title={t('attention.resendAllTitle')}
        variant="default"
        onConfirm={async () => {
          setOpen(false);
          await onConfirm();
        }}
      >
        {t('attention.resendAllBody', { count })}
      </ConfirmDialog>
    </Dialog.Root>
  );
};
