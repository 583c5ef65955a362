import { Alert, Button, Checkbox, Field, Flex, Grid, TextInput } from '@strapi/design-system';
import { useState, type FormEvent } from 'react';
import { useT } from '../hooks/useT';
import type { AuthorizeBody, ChannelOption, SiteUser } from '../types';
import type { MessageKey } from '../utils/getTranslation';
import {
  emptyAuthorizeValues,
  hasErrors,
  toAuthorizeBody,
  validateAuthorize,
  type AuthorizeErrors,
  type AuthorizeValues,
} from '../utils/validation';
import { ChannelPicker } from './ChannelPicker';
import { UserIdPicker } from './UserIdPicker';

export interface AuthorizeFormProps {
  /** The catalog's available channels, with their prices. */
  channels: ChannelOption[];
  initialValues?: Partial<AuthorizeValues>;
  /** Called with a valid body only. */
  onSubmit: (body: AuthorizeBody) => void | Promise<void>;
  onCancel?: () => void;
  searchUsers?: (q: string) => Promise<SiteUser[]>;
  submitting?: boolean;
  /** The server's message for a rejected request. */
  serverError?: string | null;
  /** The customer is given (opened from their page). */
  lockUserId?: boolean;
  /** The Osteocom account requires an email (setting); undefined when unknown: the server decides. */
  emailRequired?: boolean;
  /** The site's currency (`useCurrency`): the prices are typed in its smallest unit. */
  currency?: string;
}

const emailHint = (emailRequired: boolean | undefined): MessageKey => {
  if (emailRequired === undefined) return 'authorize.email.hint';
  return emailRequired ? 'authorize.email.hint.required' : 'authorize.email.hint.optional';
};

/**
 * "Authorize access": who (userId, picked among site users or typed), their contact and
 * consent, and the channels with prices. Validates like the server before calling onSubmit.
 */
export const AuthorizeForm = ({
  channels,
  initialValues,
  onSubmit,
  onCancel,
  searchUsers,
  submitting,
  serverError,
  lockUserId,
  emailRequired,
  currency,
}: AuthorizeFormProps) => {
  const t = useT();
  const [values, setValues] = useState<AuthorizeValues>({
    ...emptyAuthorizeValues(),
    ...initialValues,
  });
  const [attempted, setAttempted] = useState(false);
  const errors = validateAuthorize(values, emailRequired === true);
  const shown: AuthorizeErrors = attempted ? errors : {};
  const message = (field: Exclude<keyof AuthorizeErrors, 'prices' | 'accessUntil'>) => {
    const key = shown[field];
    return key ? t(key) : undefined;
  };
  const set = <K extends keyof AuthorizeValues>(key: K, value: AuthorizeValues[K]) =>
    setValues((previous) => ({ ...previous, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (hasErrors(errors)) return;
    void onSubmit(toAuthorizeBody(values, initialValues?.marketingConsent === true));
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('authorize.title')}>
      <Flex direction="column" alignItems="stretch" gap={5}>
        {serverError ? (
          <Alert variant="danger" title={t('authorize.rejected')} closeLabel={t('action.close')}>
            {serverError}
          </Alert>
        ) : null}
        <UserIdPicker
          value={values.userId}
          onChange={(userId) => set('userId', userId)}
          onPick={(user) =>
            setValues((previous) => ({
              ...previous,
              userId: user.documentId,
              email: previous.email || user.email || '',
            }))
          }
          search={searchUsers}
          error={message('userId')}
          disabled={lockUserId}
        />
        <Grid.Root gap={4}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="email"
              error={message('email')}
              required={emailRequired === true}
              hint={t(emailHint(emailRequired))}
            >
              <Field.Label>{t('authorize.email')}</Field.Label>
              <TextInput
                type="email"
                value={values.email}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  set('email', event.target.value)
                }
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item
            col={6}
            s={12}
            direction="column"
            alignItems="flex-start"
            justifyContent="center"
          >
            <Checkbox
              checked={values.marketingConsent}
              onCheckedChange={(checked) => set('marketingConsent', checked === true)}
            >
              {t('authorize.marketingConsent')}
            </Checkbox>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root name="name" error={message('name')}>
              <Field.Label>{t('authorize.name')}</Field.Label>
              <TextInput
                value={values.name}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  set('name', event.target.value)
                }
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root name="surname" error={message('surname')}>
              <Field.Label>{t('authorize.surname')}</Field.Label>
              <TextInput
                value={values.surname}
                onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                  set('surname', event.target.value)
                }
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        </Grid.Root>
        <ChannelPicker
          channels={channels}
          currency={currency}
          value={values.products}
          onChange={(products) => set('products', products)}
          error={message('products')}
          priceErrors={shown.prices}
          accessUntilErrors={shown.accessUntil}
        />
        <Flex justifyContent="space-between" paddingTop={2}>
          {onCancel ? (
            <Button variant="tertiary" onClick={onCancel} type="button">
              {t('action.cancel')}
            </Button>
          ) : (
            <span />
          )}
          <Button type="submit" loading={submitting} disabled={submitting}>
            {t('authorize.submit')}
          </Button>
        </Flex>
      </Flex>
    </form>
  );
};
