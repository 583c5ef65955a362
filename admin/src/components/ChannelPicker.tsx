import {
  Box,
  Field,
  Flex,
  IconButton,
  MultiSelect,
  MultiSelectOption,
  TextInput,
} from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { useT } from '../hooks/useT';
import type { ChannelOption } from '../types';
import type { MessageKey } from '../utils/getTranslation';
import type { ProductValue } from '../utils/validation';

export interface ChannelPickerProps {
  channels: ChannelOption[];
  value: ProductValue[];
  onChange: (products: ProductValue[]) => void;
  error?: string;
  priceErrors?: Record<string, MessageKey>;
}

/** Channels to sell, from the catalog; each with its price, prefilled from the catalog and editable. */
export const ChannelPicker = ({
  channels,
  value,
  onChange,
  error,
  priceErrors,
}: ChannelPickerProps) => {
  const t = useT();
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

  const setPrice = (productId: string, price: string) =>
    onChange(
      value.map((product) => (product.productId === productId ? { ...product, price } : product))
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
            >
              <Field.Label>
                {t('authorize.priceFor', { title: titleOf(product.productId) })}
              </Field.Label>
              <TextInput
                inputMode="numeric"
                value={product.price}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  setPrice(product.productId, event.target.value)
                }
              />
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
