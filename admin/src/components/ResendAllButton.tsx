import { Button } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useT } from '../hooks/useT';
import { ConfirmButton } from './ConfirmButton';

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
  return (
    <ConfirmButton
      title={t('attention.resendAllTitle')}
      variant="default"
      closeFirst
      onConfirm={onConfirm}
      button={
        <Button
          variant="secondary"
          startIcon={<ArrowClockwise />}
          disabled={disabled}
          loading={loading}
          data-testid="resend-all"
        >
          {t('attention.resendAll')}
        </Button>
      }
    >
      {t('attention.resendAllBody', { count })}
    </ConfirmButton>
  );
};
