import {
  Button,
  Field,
  Flex,
  Modal,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { apiErrorOf } from '../api/errors';
import { useExtend, useMembers } from '../api/members';
import { useCurrency } from '../api/overview';
import { useMoney } from '../hooks/useMoney';
import { useT } from '../hooks/useT';

/** The periods offered; `date` asks for a day. */
const PERIODS = [
  { id: '1', months: 1 },
  { id: '12', months: 12 },
  { id: 'date', months: undefined },
] as const;

/**
 * Extend / renew: by a month, a year, or until a day that ends at its last second in the site's
 * zone (named here, as the server reads it). An ended access is bought again at its stored price,
 * shown in the site's currency when one access is extended.
 */
export const ExtendModal = ({
  rows,
  price,
  onClose,
}: {
  rows: { userId: string; channelId: string }[];
  /** The stored price of the one access extended (the customer page); undefined for several. */
  price?: number | null;
  onClose: () => void;
}) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const [period, setPeriod] = useState<string>('1');
  const [date, setDate] = useState('');
  const [extend, { isLoading }] = useExtend();
  // The site's zone comes with the member list's reply.
  const zone = useMembers({ pageSize: 1 }).data?.timeZone;
  const money = useMoney(useCurrency());
  const months = PERIODS.find((each) => each.id === period)?.months;

  const submit = async () => {
    try {
      const { results } = await extend({ rows, ...(months ? { months } : { date }) }).unwrap();
      const refused = results.filter((each) => each.outcome === 'refused');
      toggleNotification({
        type: refused.length ? 'warning' : 'success',
        message: t('extend.done', {
          done: results.length - refused.length,
          refused: refused.length,
        }),
      });
      onClose();
    } catch (error) {
      const { message, code } = apiErrorOf(error);
      toggleNotification({ type: 'danger', message: code ? `${message} (${code})` : message });
    }
  };

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('action.close')}>
          <Modal.Title>{t('extend.title', { count: rows.length })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <SingleSelect
              aria-label={t('extend.period')}
              value={period}
              onChange={(value: string | number) => setPeriod(String(value))}
            >
              {PERIODS.map((each) => (
                <SingleSelectOption key={each.id} value={each.id}>
                  {t(`extend.period.${each.id}`)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            {period === 'date' ? (
              <Field.Root name="extend-date" hint={t('extend.zone', { zone: zone ?? '…' })}>
                <Field.Label>{t('extend.until')}</Field.Label>
                <TextInput
                  type="date"
                  value={date}
                  onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                    setDate(event.target.value)
                  }
                />
                <Field.Hint />
              </Field.Root>
            ) : (
              <Typography textColor="neutral600">
                {t('extend.zone', { zone: zone ?? '…' })}
              </Typography>
            )}
            {price != null ? (
              <Typography textColor="neutral600" data-testid="extend-price">
                {t('extend.price', { price: money(price) })}
              </Typography>
            ) : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button onClick={submit} loading={isLoading} disabled={period === 'date' && !date}>
            {t('extend.submit')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
