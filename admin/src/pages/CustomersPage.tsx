import {
  Box,
  Button,
  EmptyStateLayout,
  Field,
  Flex,
  Modal,
  SingleSelect,
  SingleSelectOption,
  TextInput,
} from '@strapi/design-system';
import { ArrowClockwise, Clock, Cross, Play, Plus, Stop } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { REVOKE_REASONS } from '../../../shared/contracts/access';
import {
  MEMBER_SORTS,
  MEMBER_STATUSES,
  memberFilterSchema,
  type MemberQueryInput,
} from '../../../shared/contracts/members';
import { usePause, useResend, useResume } from '../api/access';
import { useChannelTitles } from '../api/catalog';
import { useBulkRevoke, useMembers } from '../api/members';
import { useCurrency } from '../api/overview';
import { AuthorizeModal } from '../components/AuthorizeModal';
import { BulkActionBar, type BulkAction } from '../components/BulkActionBar';
import { customerPath } from '../components/CustomersTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExtendModal } from '../components/ExtendModal';
import { LoadingBlock } from '../components/LoadingBlock';
import { MembersExportButton } from '../components/MembersExportButton';
import { MembersTable } from '../components/MembersTable';
import { Pager } from '../components/Pager';
import { SearchField } from '../components/SearchField';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';

const PAGE_SIZE = 25;
const EXPIRING = [7, 30, 90] as const;
const ALL = '';

/** The filters as the URL holds them (the members export's names), so a filtered list is a link and Export writes what is shown. */
const useUrlFilter = () => {
  const [params, setParams] = useSearchParams();
  const raw = Object.fromEntries(
    ['channel', 'status', 'expiringWithinDays', 'endsBy', 'q'].flatMap((key) =>
      params.get(key) ? [[key, params.get(key)]] : []
    )
  );
  const parsed = memberFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : {};
  const sort = (MEMBER_SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as MemberQueryInput['sort'])
    : 'updatedAt';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const set = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, String(value));
      }
      if (!('page' in changes)) next.delete('page');
      return next;
    });
  return { filter, sort, order: order as 'asc' | 'desc', page, set };
};

/** Members: one row per customer and channel, filtered, sorted and paged by the server; bulk extend, revoke and re-send on the selection. */
export const CustomersPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canAuthorize, canRevoke, canExportMembers } = usePermissions();
  const { filter, sort, order, page, set } = useUrlFilter();
  const [search, setSearch] = useState(filter.q ?? '');
  const q = useDebouncedValue(search);
  useEffect(() => {
    if ((q.trim() || undefined) !== filter.q) set({ q: q.trim() || undefined });
    // Only the debounced text writes the URL.
  }, [q]);
  const members = useMembers({ ...filter, sort, order, page, pageSize: PAGE_SIZE });
  const titles = useChannelTitles();
  const currency = useCurrency();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<'authorize' | 'extend' | 'revoke' | null>(null);
  const [reason, setReason] = useState<string>('refund');
  const [bulkRevoke] = useBulkRevoke();
  const [resend] = useResend();
  const [pause] = usePause();
  const [resume] = useResume();
  /** One row after another through a single-row route, each with its own checks; refusals counted. */
  const eachRow = (send: (row: { userId: string; channelId: string }) => { unwrap: () => Promise<unknown> }) => async () => {
    let refused = 0;
    for (const row of rows)
      await send(row)
        .unwrap()
        .catch(() => (refused += 1));
    done(rows.length, refused);
  };
  const rows = useMemo(
    () =>
      [...selected].map((key) => ({ userId: key.split('\n')[0], channelId: key.split('\n')[1] })),
    [selected]
  );

  const select = (keys: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const key of keys) {
        if (on) next.add(key);
        else next.delete(key);
      }
      return next;
    });
  const done = (count: number, refused: number) => {
    toggleNotification({
      type: refused ? 'warning' : 'success',
      message: t('members.bulkDone', { done: count - refused, refused }),
    });
    setSelected(new Set());
  };

  const actions: BulkAction[] = [
    ...(canAuthorize
      ? [{ id: 'extend', label: t('extend.open'), icon: <Clock />, run: () => setDialog('extend') }]
      : []),
    ...(canRevoke
      ? [
          {
            id: 'revoke',
            label: t('revoke.action'),
            icon: <Cross />,
            variant: 'danger-light' as const,
            run: () => setDialog('revoke'),
          },
        ]
      : []),
    ...(canAuthorize
      ? [
          {
            id: 'resend',
            label: t('members.resend'),
            icon: <ArrowClockwise />,
            // One at a time through the single re-send route: each row's own intent, its own permission check.
            run: eachRow(resend),
          },
        ]
      : []),
    // A pause revokes at Osteocom (needs revoke), a resume authorizes again (needs authorize), as on the customer page.
    ...(canRevoke ? [{ id: 'pause', label: t('entitlements.pause'), icon: <Stop />, run: eachRow(pause) }] : []),
    ...(canAuthorize ? [{ id: 'resume', label: t('entitlements.resume'), icon: <Play />, run: eachRow(resume) }] : []),
  ];

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
        <Box flex="1" minWidth="20rem" maxWidth="40rem">
          <SearchField
            name="customer-search"
            label={t('customers.search')}
            value={search}
            onChange={setSearch}
          />
        </Box>
        <Flex gap={2}>
          {canExportMembers ? <MembersExportButton filter={filter} /> : null}
          {canAuthorize ? (
            <Button startIcon={<Plus />} onClick={() => setDialog('authorize')}>
              {t('authorize.open')}
            </Button>
          ) : null}
        </Flex>
      </Flex>
      <Flex gap={2} wrap="wrap" data-testid="member-filters">
        <Box minWidth="12rem">
          <SingleSelect
            aria-label={t('members.filter.status')}
            placeholder={t('members.filter.status')}
            value={filter.status ?? ALL}
            onChange={(value: string | number) => set({ status: String(value) || undefined })}
          >
            <SingleSelectOption value={ALL}>{t('members.filter.anyStatus')}</SingleSelectOption>
            {MEMBER_STATUSES.map((status) => (
              <SingleSelectOption key={status} value={status}>
                {t(`memberStatus.${status}`)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
        <Box minWidth="14rem">
          <SingleSelect
            aria-label={t('members.filter.channel')}
            placeholder={t('members.filter.channel')}
            value={filter.channel ?? ALL}
            onChange={(value: string | number) => set({ channel: String(value) || undefined })}
          >
            <SingleSelectOption value={ALL}>{t('members.filter.anyChannel')}</SingleSelectOption>
            {[...titles].map(([id, title]) => (
              <SingleSelectOption key={id} value={id}>
                {title}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
        <Box minWidth="12rem">
          <SingleSelect
            aria-label={t('members.filter.expiring')}
            value={String(filter.expiringWithinDays ?? ALL)}
            onChange={(value: string | number) =>
              set({ expiringWithinDays: String(value) || undefined })
            }
          >
            <SingleSelectOption value={ALL}>{t('members.filter.anyEnd')}</SingleSelectOption>
            {EXPIRING.map((days) => (
              <SingleSelectOption key={days} value={String(days)}>
                {t('expiring.days', { days })}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
        <Field.Root name="endsBy">
          <TextInput
            type="date"
            aria-label={t('members.filter.endsBy')}
            value={filter.endsBy ?? ''}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
              set({ endsBy: event.target.value || undefined })
            }
          />
        </Field.Root>
        <Box minWidth="14rem">
          <SingleSelect
            aria-label={t('members.sort')}
            value={`${sort} ${order}`}
            onChange={(value: string | number) => {
              const [nextSort, nextOrder] = String(value).split(' ');
              set({ sort: nextSort, order: nextOrder });
            }}
          >
            {MEMBER_SORTS.flatMap((each) =>
              (['asc', 'desc'] as const).map((direction) => (
                <SingleSelectOption key={`${each} ${direction}`} value={`${each} ${direction}`}>
                  {t(`members.sort.${each}.${direction}`)}
                </SingleSelectOption>
              ))
            )}
          </SingleSelect>
        </Box>
      </Flex>
      <BulkActionBar
        count={selected.size}
        actions={actions}
        onClear={() => setSelected(new Set())}
      />
      {members.error ? <ErrorAlert error={members.error} onRetry={members.refetch} /> : null}
      {!members.data ? (
        members.isLoading ? (
          <LoadingBlock />
        ) : null
      ) : members.data.results.length ? (
        <>
          <MembersTable
            rows={members.data.results}
            currency={currency}
            selected={selected}
            onSelect={select}
          />
          <Pager
            pagination={members.data.pagination}
            onPageChange={(next) => set({ page: next })}
          />
        </>
      ) : (
        <EmptyStateLayout
          content={t(Object.keys(filter).length ? 'customers.noMatch' : 'customers.empty')}
        />
      )}
      {dialog === 'authorize' ? (
        <AuthorizeModal
          onClose={() => setDialog(null)}
          onAuthorized={(result) => {
            setDialog(null);
            navigate(customerPath(result.userId));
          }}
        />
      ) : null}
      {dialog === 'extend' ? (
        <ExtendModal
          rows={rows}
          onClose={() => {
            setDialog(null);
            setSelected(new Set());
          }}
        />
      ) : null}
      {dialog === 'revoke' ? (
        <RevokeReasonModal
          count={rows.length}
          reason={reason}
          onReason={setReason}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const results = await bulkRevoke(
              rows.map((row) => ({ ...row, reason: reason.trim() || undefined }))
            ).unwrap();
            setDialog(null);
            done(results.length, results.filter((each) => each.outcome === 'refused').length);
          }}
        />
      ) : null}
    </Flex>
  );
};

/** Revoke the selection, with why: a reason code or free text (kept on each entitlement and in the audit trail). */
const RevokeReasonModal = ({
  count,
  reason,
  onReason,
  onClose,
  onConfirm,
}: {
  count: number;
  reason: string;
  onReason: (value: string) => void;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) => {
  const t = useT();
  const known = (REVOKE_REASONS as readonly string[]).includes(reason);
  const [other, setOther] = useState(!known);
  return (
    <ExtendLikeModal
      title={t('revoke.bulkTitle', { count })}
      onClose={onClose}
      onConfirm={onConfirm}
      confirm={t('revoke.action')}
    >
      <SingleSelect
        aria-label={t('revoke.reason')}
        value={other ? 'other' : reason}
        onChange={(value: string | number) => {
          setOther(value === 'other');
          onReason(value === 'other' ? '' : String(value));
        }}
      >
        {([...REVOKE_REASONS, 'other'] as const).map((each) => (
          <SingleSelectOption key={each} value={each}>
            {t(`revokeReason.${each}`)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      {other ? (
        <Field.Root name="reason-text">
          <Field.Label>{t('revoke.reasonText')}</Field.Label>
          <TextInput
            maxLength={200}
            value={reason}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => onReason(event.target.value)}
          />
        </Field.Root>
      ) : null}
    </ExtendLikeModal>
  );
};

const ExtendLikeModal = ({
  title,
  children,
  onClose,
  onConfirm,
  confirm,
}: {
  title: string;
  children: ReactNode;
  onClose: () => void;
  onConfirm: () => Promise<void>;
  confirm: string;
}) => {
  const t = useT();
  const [busy, setBusy] = useState(false);
  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('action.close')}>
          <Modal.Title>{title}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            {children}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button
            variant="danger"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirm}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
