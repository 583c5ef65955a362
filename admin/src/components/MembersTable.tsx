import {
  Badge,
  Checkbox,
  Flex,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { REVOKE_REASONS } from '../../../shared/contracts/access';
import type { Member } from '../../../shared/contracts/members';
import { useMoney } from '../hooks/useMoney';
import { useT } from '../hooks/useT';
import { fullName } from '../utils/format';
import { customerPath } from './CustomersTable';
import { DateTime } from './DateTime';

/** A reason code in words; free text as the admin wrote it. */
export const reasonText = (t: ReturnType<typeof useT>, reason: string) =>
  reason === 'expired' || (REVOKE_REASONS as readonly string[]).includes(reason)
    ? t(`revokeReason.${reason as (typeof REVOKE_REASONS)[number] | 'expired'}`)
    : reason;

export const memberKey = (row: { userId: string; channelId: string }) =>
  `${row.userId}\n${row.channelId}`;

const VARIANTS: Record<
  Member['status'],
  'success' | 'warning' | 'danger' | 'secondary' | 'neutral'
> = {
  active: 'success',
  pending: 'warning',
  paused: 'secondary',
  scheduled: 'secondary',
  expired: 'neutral',
  revoked: 'neutral',
  failed: 'danger',
};

/** Members: name and email first (the user id under them), channel, status with why it ended, access end, price; a checkbox per row. */
export const MembersTable = ({
  rows,
  currency,
  selected,
  onSelect,
}: {
  rows: Member[];
  /** The site's currency (`useCurrency`), the prices' currency. */
  currency: string | undefined;
  selected: Set<string>;
  onSelect: (keys: string[], on: boolean) => void;
}) => {
  const t = useT();
  const money = useMoney(currency);
  const all = rows.length > 0 && rows.every((row) => selected.has(memberKey(row)));
  const some = rows.some((row) => selected.has(memberKey(row)));
  return (
    <Table colCount={7} rowCount={rows.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Checkbox
              aria-label={t('members.selectPage')}
              checked={all ? true : some ? 'indeterminate' : false}
              onCheckedChange={(on: boolean | 'indeterminate') =>
                onSelect(rows.map(memberKey), on === true)
              }
            />
          </Th>
          {(
            [
              'members.customer',
              'members.email',
              'entitlements.channel',
              'entitlements.status',
              'entitlements.accessUntil',
              'entitlements.price',
            ] as const
          ).map((key) => (
            <Th key={key}>
              <Typography variant="sigma">{t(key)}</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((row) => (
          <Tr key={memberKey(row)} data-testid="member-row">
            <Td>
              <Checkbox
                aria-label={t('members.select', {
                  userId: row.userId,
                  channel: row.channelTitle ?? row.channelId,
                })}
                checked={selected.has(memberKey(row))}
                onCheckedChange={(on: boolean | 'indeterminate') =>
                  onSelect([memberKey(row)], on === true)
                }
              />
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start">
                <Link tag={NavLink} to={customerPath(row.userId)}>
                  {fullName(row.name, row.surname) ?? row.userId}
                </Link>
                <Typography variant="pi" textColor="neutral600">
                  <VisuallyHidden>{t('customers.userId')}: </VisuallyHidden>
                  {row.userId}
                </Typography>
              </Flex>
            </Td>
            <Td>
              <Typography>{row.email ?? '–'}</Typography>
            </Td>
            <Td>
              <Typography>{row.channelTitle ?? row.channelId}</Typography>
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Badge variant={VARIANTS[row.status]}>{t(`memberStatus.${row.status}`)}</Badge>
                {row.revokeReason && (row.status === 'revoked' || row.status === 'expired') ? (
                  <Typography variant="pi" textColor="neutral600">
                    {reasonText(t, row.revokeReason)}
                  </Typography>
                ) : null}
              </Flex>
            </Td>
            <Td>
              <Typography>
                {row.accessUntil ? <DateTime value={row.accessUntil} /> : t('members.forGood')}
              </Typography>
            </Td>
            <Td>
              <Typography>{money(row.price)}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
