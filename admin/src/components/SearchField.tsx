import { Searchbar } from '@strapi/design-system';
import { useT } from '../hooks/useT';

/** A search box; the page debounces `value` before it queries. */
export const SearchField = ({
  name,
  label,
  value,
  onChange,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) => {
  const t = useT();
  return (
    <Searchbar
      name={name}
      value={value}
      placeholder={label}
      clearLabel={t('search.clear')}
      onChange={(event) => onChange(event.target.value)}
      onClear={() => onChange('')}
    >
      {label}
    </Searchbar>
  );
};
