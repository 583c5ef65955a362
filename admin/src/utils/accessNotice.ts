import type { Translate } from '../hooks/useT';
import type { AccessResult } from '../types';

/** The notification for an authorize, revoke, pause, resume or re-send reply, by the state it ended in. */
export const accessNotice = (t: Translate, { state, userId }: AccessResult) => {
  const notices = {
    active: { type: 'success', message: t('authorize.done.active', { userId }) },
    revoked: { type: 'success', message: t('revoke.done', { userId }) },
    paused: { type: 'success', message: t('pause.done', { userId }) },
    pending: { type: 'warning', message: t('access.pending', { userId }) },
    partial: { type: 'warning', message: t('access.partial', { userId }) },
  } as const;
  return notices[state];
};
