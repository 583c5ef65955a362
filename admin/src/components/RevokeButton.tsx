import { Button } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useT } from '../hooks/useT';
import { ConfirmButton } from './ConfirmButton';

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
  return (
    <ConfirmButton
      title={t('revoke.title')}
      variant="danger"
      onConfirm={onConfirm}
      button={
        <Button variant="danger-light" size="S" startIcon={<Cross />} disabled={disabled}>
          {t('revoke.action')}
        </Button>
      }
    >
      {t('revoke.confirm', { channel: channelTitle, userId })}
    </ConfirmButton>
  );
};
