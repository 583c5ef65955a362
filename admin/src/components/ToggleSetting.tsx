import { Field, Toggle } from '@strapi/design-system';
import { useT } from '../hooks/useT';

export interface ToggleSettingProps {
  name: string;
  label: string;
  hint: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Set in config/plugins.ts or the environment: shown, not editable. */
  locked: boolean;
  disabled: boolean;
}

/** One on/off setting; a locked one says where it is set instead of its hint. */
export const ToggleSetting = ({
  name,
  label,
  hint,
  checked,
  onChange,
  locked,
  disabled,
}: ToggleSettingProps) => {
  const t = useT();
  return (
    <Field.Root name={name} hint={locked ? t('settings.locked') : hint}>
      <Field.Label>{label}</Field.Label>
      <Toggle
        onLabel={t('common.on')}
        offLabel={t('common.off')}
        checked={checked}
        disabled={disabled || locked}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.checked)}
      />
      <Field.Hint />
    </Field.Root>
  );
};
