import { Alert, Badge, Flex, Loader, Typography } from '@strapi/design-system';
import type { EncryptionStatus } from '../types';
import { useT } from '../hooks/useT';
import { DateTime } from './DateTime';
import { Detail } from './Detail';

const PASS_VARIANTS = {
  running: 'secondary',
  finished: 'success',
  stopped: 'warning',
  interrupted: 'warning',
  failed: 'danger',
} as const;

/** Nothing to move: every access key and the stored client secret are on the newest key. */
export const allOnNewest = (status: EncryptionStatus) =>
  status.rows.remaining === 0 &&
  (status.clientSecret === 'newest' || status.clientSecret === 'none');

const PassSummary = ({ status }: { status: EncryptionStatus }) => {
  const t = useT();
  const pass = status.lastPass;
  if (!pass) return <Typography textColor="neutral600">{t('encryption.pass.never')}</Typography>;
  return (
    <Flex gap={8} wrap="wrap" alignItems="flex-start">
      <Detail label={t('encryption.pass.state')}>
        <Badge variant={PASS_VARIANTS[pass.status]}>{t(`encryption.pass.${pass.status}`)}</Badge>
      </Detail>
      <Detail label={t('encryption.pass.finishedAt')}>
        <DateTime value={pass.finishedAt} />
      </Detail>
      <Detail label={t('encryption.pass.moved')}>{pass.moved}</Detail>
      <Detail label={t('encryption.pass.unreadable')}>
        <Typography textColor={pass.failed ? 'danger600' : undefined}>{pass.failed}</Typography>
      </Detail>
    </Flex>
  );
};

/** The counts, the warnings that go with them, and the last pass. */
export const EncryptionDetails = ({ status }: { status: EncryptionStatus }) => {
  const t = useT();
  const { rows } = status;
  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="encryption">
      <Flex gap={8} wrap="wrap" alignItems="flex-start">
        <Detail label={t('encryption.newestKey')}>
          <code>{status.newestKeyId}</code>
        </Detail>
        <Detail label={t('encryption.onNewest')}>
          {t('encryption.onNewest.value', { count: rows.onNewestKey, total: rows.total })}
        </Detail>
        <Detail label={t('encryption.remaining')}>{rows.remaining}</Detail>
        <Detail label={t('encryption.clientSecret')}>
          {t(`encryption.clientSecret.${status.clientSecret}`)}
        </Detail>
      </Flex>
      {status.running ? (
        <Flex gap={3} role="status" aria-live="polite">
          <Loader small>{t('encryption.running')}</Loader>
          <Typography>{t('encryption.running')}</Typography>
        </Flex>
      ) : null}
      {rows.unlisted ? (
        <Alert
          variant="danger"
          title={t('encryption.unlisted.title')}
          closeLabel={t('action.close')}
        >
          {t('encryption.unlisted', { count: rows.unlisted })}
        </Alert>
      ) : null}
      {!status.running && !allOnNewest(status) && !rows.unlisted ? (
        <Alert
          variant="default"
          title={t('encryption.keepOldKeys.title')}
          closeLabel={t('action.close')}
        >
          {t('encryption.keepOldKeys')}
        </Alert>
      ) : null}
      <PassSummary status={status} />
    </Flex>
  );
};
