import { Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';
import { useT, type Translate } from '../hooks/useT';
import type { AuditEvent } from '../types';
import { customerPath } from './CustomersTable';
import { DateTime } from './DateTime';
import { errorMessage } from '../utils/plainLanguage';
import { OutcomeBadge } from './OutcomeBadge';
import { TableHeader } from './TableHeader';

const KNOWN_ACTIONS = [
  'authorize',
  'revoke',
  'sync',
  'settings.update',
  'alert',
  'consent-withdrawn',
  'erase',
  'export-personal-data',
  'export-members',
  'expire',
] as const;
type KnownAction = (typeof KNOWN_ACTIONS)[number];
const isKnown = (action: string): action is KnownAction =>
  (KNOWN_ACTIONS as readonly string[]).includes(action);

/** The system's own actors by id: the outbox's automatic retries, the end of a time-limited access, the site's code. */
const SYSTEM_ACTORS = {
  outbox: 'actor.outbox',
  expiry: 'actor.expiry',
  site: 'actor.site',
} as const;

/**
 * Who acted, by name: an admin's first and last name (with the admin token they used), "Shop back
 * end (token name)", "Automatic (outbox)"; the kind and id only when no name is known.
 */
export const actorLabel = (t: Translate, event: AuditEvent) => {
  const via = event.actorToken ? ` · ${t('actor.viaToken', { name: event.actorToken.name })}` : '';
  if (event.actorType === 'admin' && event.actorName) return `${event.actorName}${via}`;
  if (event.actorType === 'api-token' && event.actorName)
    return t('actor.shop', { name: event.actorName });
  if (event.actorType === 'system' && event.actorId && event.actorId in SYSTEM_ACTORS) {
    return t(SYSTEM_ACTORS[event.actorId as keyof typeof SYSTEM_ACTORS]);
  }
  return `${t(`actor.${event.actorType}`)}${event.actorId ? ` · ${event.actorId}` : ''}${via}`;
};

/** Who did what to whom, newest first; never a secret. Automatic retries come grouped (`count`). */
export const AuditEventsTable = ({
  events,
  titles,
}: {
  events: AuditEvent[];
  titles: Map<string, string>;
}) => {
  const t = useT();
  const { formatDate } = useIntl();
  const when = (value: string) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
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
          <Tr key={event.id} data-testid="audit-row" data-count={event.count}>
            <Td>
              <Typography>
                <DateTime value={event.createdAt} />
              </Typography>
              {event.count > 1 ? (
                <Typography
                  variant="pi"
                  textColor="neutral600"
                  tag="div"
                  data-testid="audit-retries"
                >
                  {t('audit.retries', {
                    count: event.count,
                    from: when(event.firstAt),
                    to: when(event.createdAt),
                  })}
                </Typography>
              ) : null}
            </Td>
            <Td>
              <Typography>
                {isKnown(event.action) ? t(`auditAction.${event.action}`) : event.action}
              </Typography>
            </Td>
            <Td>
              <OutcomeBadge outcome={event.outcome} />
              {code(event.details) ? (
                <Typography
                  variant="pi"
                  textColor="neutral600"
                  tag="div"
                  data-testid="audit-reason"
                  style={{ whiteSpace: 'normal', maxWidth: '24rem' }}
                >
                  {t(errorMessage(code(event.details)))}{' '}
                  <abbr title={code(event.details)} data-testid="audit-code">
                    ({code(event.details)})
                  </abbr>
                </Typography>
              ) : null}
            </Td>
            <Td>
              <Typography data-testid="audit-actor">{actorLabel(t, event)}</Typography>
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
