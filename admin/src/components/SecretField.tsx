import { Badge, Checkbox, Field, Flex, TextInput } from '@strapi/design-system';
import { useT } from '../hooks/useT';

export interface SecretFieldProps {
  isSet: boolean;
  value: string;
  clear: boolean;
  onChange: (value: string) => void;
  onClearChange: (clear: boolean) => void;
  disabled: boolean;
  locked: boolean;
  error?: string;
}

/** Write-only: shows whether a secret is stored, never its value; typing replaces it, "clear" removes it. */
export const SecretField = ({
  isSet,
  value,
  clear,
  onChange,
  onClearChange,
  disabled,
  locked,
  error,
}: SecretFieldProps) => {
  const t = useT();
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Field.Root
        name="clientSecret"
        error={error}
        hint={t(locked ? 'settings.locked' : 'settings.clientSecret.hint')}
      >
        <Field.Label
          action={
            <Badge variant={isSet ? 'success' : 'neutral'} data-testid="secret-state">
              {t(isSet ? 'settings.clientSecret.set' : 'settings.clientSecret.notSet')}
            </Badge>
          }
        >
          {t('settings.clientSecret')}
        </Field.Label>
        <TextInput
          type="password"
          autoComplete="new-password"
          value={value}
          placeholder={t(isSet ? 'settings.clientSecret.replace' : 'settings.clientSecret.enter')}
          disabled={disabled || locked || clear}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
      {isSet && !locked ? (
        <Checkbox
          checked={clear}
          disabled={disabled || Boolean(value)}
          onCheckedChange={(checked) => onClearChange(checked === true)}
        >
          {t('settings.clientSecret.clear')}
        </Checkbox>
      ) : null}
    </Flex>
  );
};
