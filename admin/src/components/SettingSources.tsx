import { Flex, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SettingKey, SettingSource } from '../types';
import type { MessageKey } from '../utils/getTranslation';

/** The connection values whose source decides where a secret may go (the server pairs them). */
const CONNECTION_KEYS = [
  ['environment', 'settings.environment'],
  ['baseUrl', 'settings.baseUrl'],
  ['clientId', 'settings.clientId'],
  ['clientSecret', 'settings.clientSecret'],
] as const satisfies readonly (readonly [SettingKey, MessageKey])[];

const SOURCE_LABELS: Record<SettingSource, MessageKey> = {
  config: 'settings.source.config',
  admin: 'settings.source.admin',
  default: 'settings.source.default',
};

/** Where each connection value comes from: the operator (config/env), an admin here, or the default. */
export const SettingSources = ({ sources }: { sources: Record<SettingKey, SettingSource> }) => {
  const t = useT();
  return (
    <Flex direction="column" alignItems="stretch" gap={1} data-testid="setting-sources">
      <Typography variant="sigma" textColor="neutral600">
        {t('settings.sources')}
      </Typography>
      {CONNECTION_KEYS.map(([key, label]) => (
        <Typography key={key} variant="pi" textColor="neutral700" data-testid={`setting-source-${key}`}>
          {t(label)}: {t(SOURCE_LABELS[sources[key]])}
        </Typography>
      ))}
      <Typography variant="pi" textColor="neutral600">
        {t('settings.sources.pairing')}
      </Typography>
    </Flex>
  );
};
