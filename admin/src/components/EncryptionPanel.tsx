import { Button, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useEffect } from 'react';
import { apiErrorOf } from '../api/errors';
import { useEncryptionStatus, useRotateKeys } from '../api/encryption';
import { useT } from '../hooks/useT';
import { EncryptionDetails, allOnNewest } from './EncryptionDetails';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Panel } from './Panel';

/** While a pass runs, its progress is read again this often. */
const POLL_MS = 2_000;

/**
 * Encryption keys: how many stored secrets are on the newest key, the last re-encryption pass
 * and, for those allowed to, "Re-encrypt now". Progress refreshes while a pass runs.
 */
export const EncryptionPanel = ({ canRotate }: { canRotate: boolean }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const status = useEncryptionStatus();
  const [rotate, { isLoading: rotating }] = useRotateKeys();
  const data = status.data;
  const { refetch } = status;

  useEffect(() => {
    if (!data?.running) return undefined;
    const timer = setInterval(refetch, POLL_MS);
    return () => clearInterval(timer);
  }, [data?.running, refetch]);

  const start = async () => {
    try {
      await rotate().unwrap();
    } catch (error) {
      const info = apiErrorOf(error);
      refetch();
      toggleNotification(
        info.code === 'KEY_ROTATION_ALREADY_RUNNING'
          ? { type: 'info', message: t('encryption.alreadyRunning') }
          : { type: 'danger', title: t('encryption.failed'), message: info.message }
      );
    }
  };

  const action =
    canRotate && data ? (
      <Button
        startIcon={<ArrowClockwise />}
        onClick={start}
        loading={rotating}
        disabled={rotating || data.running || allOnNewest(data)}
      >
        {t('encryption.rotate')}
      </Button>
    ) : undefined;

  return (
    <Panel title={t('encryption.title')} action={action}>
      <Typography textColor="neutral600">{t('encryption.description')}</Typography>
      {status.error ? <ErrorAlert error={status.error} onRetry={refetch} /> : null}
      {!data && status.isLoading ? <LoadingBlock /> : null}
      {data ? <EncryptionDetails status={data} /> : null}
    </Panel>
  );
};
