import { Dialog } from '@strapi/design-system';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { useState, type ReactElement, type ReactNode } from 'react';

/**
 * A button that asks before it acts: `button` opens Strapi's confirmation, `onConfirm` runs on
 * Confirm. `closeFirst` closes the dialog before the action (a long one reports in the page),
 * otherwise it stays open until the action ends.
 */
export const ConfirmButton = ({
  button,
  title,
  variant,
  children,
  onConfirm,
  closeFirst = false,
}: {
  button: ReactElement;
  title: string;
  variant: 'default' | 'danger';
  children: ReactNode;
  onConfirm: () => Promise<void>;
  closeFirst?: boolean;
}) => {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger>{button}</Dialog.Trigger>
      <ConfirmDialog
        title={title}
        variant={variant}
        onConfirm={async () => {
          if (closeFirst) setOpen(false);
          await onConfirm();
          setOpen(false);
        }}
      >
        {children}
      </ConfirmDialog>
    </Dialog.Root>
  );
};
