import { Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { useT } from '../hooks/useT';
import type { AuditEvent } from '../types';
import { customerPath } from './CustomersTable';
import { DateTime } from './DateTime';
import { OutcomeBadge } from './OutcomeBadge';
import { TableHeader } from './TableHeader';

const KNOWN_ACTIONS = [
  'authorize',
  'revoke',
  'sync',
  'settings.update',
  'alert',
  'consent-withdrawn',
] as const;
type KnownAction = (typeof KNOWN_ACTIONS)[number];
const isKnown = (action: string): action is KnownAction =>
  (KNOWN_ACTIONS as readonly string[]).includes(action);

/** Who did what to whom, newest first; never a secret. */
export const AuditEventsTable = ({
  events,
  titles,
}: {
  events: AuditEvent[];
  titles: Map<string, string>;
}) => {
  const t = useT();
  const channels = (keys: string | null) =>
    keys
      ? keys
          .split(',')
          .map((key) => titles.get(key) ?? key)
          .join(', ')
      : '–';
  const code = (details: AuditEvent['details']) =>
    details && typeof details.code === 'string' ? details.code : '';
  return (
    <Table colCount={6} rowCount={events.length + 1}>
      <TableHeader
        columns={[
          t('audit.when'),
          t('audit.action'),
          t('audit.outcome'),
          t('audit.actor'),
          t('audit.customer'),
          t('audit.channels'),
        ]}
      />
      <Tbody>
        {events.map((event) => (
          <Tr key={event.id} data-testid="audit-row">
            <Td>
              <Typography>
                <DateTime value={event.createdAt} />
              </Typography>
            </Td>
            <Td>
              <Typography>
                {isKnown(event.action) ? t(`auditAction.${event.action}`) : event.action}
              </Typography>
            </Td>
            <Td>
              <OutcomeBadge outcome={event.outcome} />
              {code(event.details) ? (
                <Typography variant="pi" textColor="neutral600" paddingLeft={2}>
                  {code(event.details)}
                </Typography>
              ) : null}
            </Td>
            <Td>
              <Typography>
                {t(`actor.${event.actorType}`)}
                {event.actorId ? ` · ${event.actorId}` : ''}
                {event.actorToken
                  ? ` · ${t('actor.viaToken', { name: event.actorToken.name })}`
                  : ''}
              </Typography>
            </Td>
            <Td>
              {event.subjectUserId ? (
                <Link tag={NavLink} to={customerPath(event.subjectUserId)}>
                  {event.subjectUserId}
                </Link>
              ) : (
                <Typography>–</Typography>
              )}
            </Td>
            <Td>
              <Typography variant="pi" ellipsis>
                {channels(event.channelKey)}
              </Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
