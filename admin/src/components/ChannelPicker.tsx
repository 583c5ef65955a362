import {
  Box,
  DateTimePicker,
  Field,
  Flex,
  IconButton,
  MultiSelect,
  MultiSelectOption,
  TextInput,
} from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { useMoney } from '../hooks/useMoney';
import { useT } from '../hooks/useT';
import type { ChannelOption } from '../types';
import type { MessageKey } from '../utils/getTranslation';
import { parsePrice, type ProductValue } from '../utils/validation';

export interface ChannelPickerProps {
  channels: ChannelOption[];
  /** The site's currency: a price is typed in its smallest unit (as stored and sent), and shown in it. */
  currency?: string;
  value: ProductValue[];
  onChange: (products: ProductValue[]) => void;
  error?: string;
  priceErrors?: Record<string, MessageKey>;
  accessUntilErrors?: Record<string, MessageKey>;
}

/**
 * Channels to sell, from the catalog; each with its price, prefilled from the catalog and
 * editable (in the currency's smallest unit, what the server takes; the hint shows it as money),
 * and an optional end of access (empty: for good).
 */
export const ChannelPicker = ({
  channels,
  currency,
  value,
  onChange,
  error,
  priceErrors,
  accessUntilErrors,
}: ChannelPickerProps) => {
  const t = useT();
  const money = useMoney(currency);
  const byId = new Map(channels.map((channel) => [channel.idChannel, channel]));
  const titleOf = (id: string) => byId.get(id)?.title ?? id;

  const select = (ids: string[]) =>
    onChange(
      ids.map(
        (id) =>
          value.find((product) => product.productId === id) ?? {
            productId: id,
            price: String(byId.get(id)?.price ?? 0),
          }
      )
    );

  const update = (productId: string, change: Partial<ProductValue>) =>
    onChange(
      value.map((product) =>
        product.productId === productId ? { ...product, ...change } : product
      )
    );

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Field.Root name="products" error={error} required>
        <Field.Label>{t('authorize.channels')}</Field.Label>
        <MultiSelect
          value={value.map((product) => product.productId)}
          onChange={select}
          placeholder={t('authorize.channels.placeholder')}
          withTags
        >
          {channels.map((channel) => (
            <MultiSelectOption key={channel.idChannel} value={channel.idChannel}>
              {channel.title}
            </MultiSelectOption>
          ))}
        </MultiSelect>
        <Field.Error />
      </Field.Root>
      {value.map((product) => (
        <Flex key={product.productId} gap={2} alignItems="flex-end">
          <Box flex="1">
            <Field.Root
              name={`price-${product.productId}`}
              error={
                priceErrors?.[product.productId] ? t(priceErrors[product.productId]) : undefined
              }
              hint={t('authorize.price.hint', {
                currency: currency ?? '…',
                price: money(parsePrice(product.price)),
              })}
            >
              <Field.Label>
                {t('authorize.priceFor', { title: titleOf(product.productId) })}
              </Field.Label>
              <TextInput
                inputMode="numeric"
                value={product.price}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  update(product.productId, { price: event.target.value })
                }
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
          <Box flex="2">
            <Field.Root
              name={`accessUntil-${product.productId}`}
              error={
                accessUntilErrors?.[product.productId]
                  ? t(accessUntilErrors[product.productId])
                  : undefined
              }
              hint={t('authorize.accessUntil.hint')}
            >
              <Field.Label>
                {t('authorize.accessUntilFor', { title: titleOf(product.productId) })}
              </Field.Label>
              <DateTimePicker
                value={product.accessUntil ? new Date(product.accessUntil) : null}
                minDate={new Date()}
                dateLabel={t('authorize.accessUntil.date', { title: titleOf(product.productId) })}
                timeLabel={t('authorize.accessUntil.time', { title: titleOf(product.productId) })}
                clearLabel={t('authorize.accessUntil.clear')}
                onChange={(date) =>
                  update(product.productId, { accessUntil: date ? date.toISOString() : '' })
                }
                onClear={() => update(product.productId, { accessUntil: '' })}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
          <IconButton
            label={t('authorize.removeChannel', { title: titleOf(product.productId) })}
            variant="ghost"
            onClick={() => onChange(value.filter((other) => other.productId !== product.productId))}
          >
            <Trash />
          </IconButton>
        </Flex>
      ))}
    </Flex>
  );
};
