import { useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { apiErrorOf } from '../api/errors';
import type { AccessResult } from '../types';
import { accessNotice } from '../utils/accessNotice';
import { useT } from './useT';

/**
 * Runs one access call on a row (revoke, re-send): `busy` names that row while it runs and the
 * outcome is notified — Osteocom's own message and code when it refuses. The call's mutation
 * reloads the rows it touched, either way.
 */
export const useAccessAction = () => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (key: string, call: () => Promise<AccessResult>) => {
    setBusy(key);
    try {
      toggleNotification(accessNotice(t, await call()));
    } catch (error) {
      const { message, code } = apiErrorOf(error);
      toggleNotification({
        type: 'danger',
        title: t('access.refused'),
        message: code ? `${message} (${code})` : message,
      });
    } finally {
      setBusy(null);
    }
  };

  return { run, busy };
};
