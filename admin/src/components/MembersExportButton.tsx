import { Button } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import type { QueryOf } from '../../../shared/contracts/common';
import type { exportEntitlements } from '../../../shared/contracts/members-export';
import { fetchMembersExport } from '../api/entitlements';
import { apiErrorOf } from '../api/errors';
import { useT } from '../hooks/useT';
import { saveFile } from '../utils/saveFile';

/** "Download CSV": the members export with the list's current filters, in the Import page's columns. */
export const MembersExportButton = ({ filter }: { filter: QueryOf<typeof exportEntitlements> }) => {
  const t = useT();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [exporting, setExporting] = useState(false);

  const download = async () => {
    setExporting(true);
    try {
      saveFile(
        `osteocom-members-${new Date().toISOString().slice(0, 10)}.csv`,
        await fetchMembersExport(client, filter)
      );
    } catch (error) {
      const { message, code } = apiErrorOf(error);
      toggleNotification({ type: 'danger', message: code ? `${message} (${code})` : message });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Button variant="secondary" startIcon={<Download />} loading={exporting} onClick={download}>
      {t('members.export')}
    </Button>
  );
};
