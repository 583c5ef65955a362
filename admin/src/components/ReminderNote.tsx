import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useT } from '../hooks/useT';
import type { Entitlement } from '../types';

/**
 * How the access's last expiring reminder went, in words (translations `reminder.*`), with the end
 * date it was for: an access extended since shows its earlier end. Nothing before any reminder.
 */
export const ReminderNote = ({
  entitlement,
}: {
  entitlement: Pick<Entitlement, 'remindedFor' | 'reminderOutcome'>;
}) => {
  const t = useT();
  const { formatDate } = useIntl();
  const { remindedFor, reminderOutcome } = entitlement;
  if (!remindedFor || !reminderOutcome) return null;
  return (
    <Typography variant="pi" textColor="neutral600" data-testid="reminder-outcome">
      {t(`reminder.${reminderOutcome}`, {
        date: formatDate(remindedFor, { dateStyle: 'medium', timeStyle: 'short' }),
      })}
    </Typography>
  );
};
