import { useIntl } from 'react-intl';

/** A date and time in the admin's locale, or a dash when there is none. */
export const DateTime = ({ value }: { value: string | Date | null | undefined }) => {
  const { formatDate } = useIntl();
  if (!value) return <>–</>;
  return (
    <time dateTime={new Date(value).toISOString()}>
      {formatDate(value, { dateStyle: 'medium', timeStyle: 'short' })}
    </time>
  );
};
