import { Alert, Button } from '@strapi/design-system';
import { apiErrorOf } from '../api/errors';
import { useT } from '../hooks/useT';

/** A failed load: the server's message and a retry. */
export const ErrorAlert = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const t = useT();
  return (
    <Alert
      variant="danger"
      title={t('error.loadFailed')}
      closeLabel={t('action.close')}
      action={
        onRetry ? (
          <Button variant="tertiary" size="S" onClick={onRetry}>
            {t('action.retry')}
          </Button>
        ) : undefined
      }
    >
      {apiErrorOf(error).message}
    </Alert>
  );
};
