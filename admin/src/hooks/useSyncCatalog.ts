import { useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { apiErrorOf } from '../api/errors';
import { useSyncNow } from '../api/overview';
import type { SyncRun } from '../types';
import { useT } from './useT';

/**
 * Runs a manual sync and keeps its outcome: the finished run, or whether another run was
 * already going on (409 SYNC_ALREADY_RUNNING); other failures are notified.
 */
export const useSyncCatalog = () => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const [syncNow, { isLoading }] = useSyncNow();
  const [result, setResult] = useState<SyncRun | null>(null);
  const [alreadyRunning, setAlreadyRunning] = useState(false);

  const start = async () => {
    setResult(null);
    setAlreadyRunning(false);
    try {
      setResult(await syncNow().unwrap());
    } catch (error) {
      const info = apiErrorOf(error);
      if (info.code === 'SYNC_ALREADY_RUNNING') {
        setAlreadyRunning(true);
        toggleNotification({ type: 'info', message: t('sync.alreadyRunning') });
      } else {
        toggleNotification({ type: 'danger', title: t('sync.failed'), message: info.message });
      }
    }
  };

  return {
    start,
    isLoading,
    result,
    alreadyRunning,
    dismissAlreadyRunning: () => setAlreadyRunning(false),
  };
};
