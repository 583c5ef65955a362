import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { formatMoney } from '../utils/format';

/**
 * Stored prices (the currency's smallest unit) as the admin's language writes them in the site's
 * currency (`useCurrency`): "12,50 €" in Italian, "€12.50" in English. A dash when there is no
 * price, an ellipsis while the currency is still loading.
 */
export const useMoney = (currency: string | undefined) => {
  const { locale } = useIntl();
  return useCallback(
    (amount: number | null | undefined) => {
      if (amount === null || amount === undefined) return '–';
      return currency ? formatMoney(amount, currency, locale) : '…';
    },
    [currency, locale]
  );
};
