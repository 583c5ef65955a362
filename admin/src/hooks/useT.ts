import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import en from '../translations/en.json';
import { getTranslation, type MessageKey } from '../utils/getTranslation';

export type MessageValues = Record<string, string | number | boolean | null | undefined | Date>;

/** `t('sync.now')`: the plugin's messages by their short key, English as the fallback. */
export const useT = () => {
  const { formatMessage } = useIntl();
  return useCallback(
    (key: MessageKey, values?: MessageValues) =>
      formatMessage({ id: getTranslation(key), defaultMessage: en[key] }, values),
    [formatMessage]
  );
};

export type Translate = ReturnType<typeof useT>;
