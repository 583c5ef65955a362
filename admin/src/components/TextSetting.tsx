import { Field, TextInput } from '@strapi/design-system';
import { useT } from '../hooks/useT';

export interface TextSettingProps {
  name: string;
  label: string;
  hint?: string;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
  /** Set in config/plugins.ts or the environment: shown, not editable. */
  locked: boolean;
  disabled: boolean;
  error?: string;
}

/** One text setting; a locked one says where it is set instead of its hint. */
export const TextSetting = ({
  name,
  label,
  hint,
  placeholder,
  value,
  onChange,
  locked,
  disabled,
  error,
}: TextSettingProps) => {
  const t = useT();
  return (
    <Field.Root name={name} error={error} hint={locked ? t('settings.locked') : hint}>
      <Field.Label>{label}</Field.Label>
      <TextInput
        value={value}
        placeholder={placeholder}
        disabled={disabled || locked}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
