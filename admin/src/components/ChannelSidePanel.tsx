import { Button, Flex, LinkButton, Typography } from '@strapi/design-system';
import { ArrowClockwise, ArrowRight } from '@strapi/icons';
import { NavLink } from 'react-router-dom';
import { usePermissions } from '../hooks/usePermissions';
import { useSyncCatalog } from '../hooks/useSyncCatalog';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';
import type { SyncRun } from '../types';
import { SyncResult } from './SyncResult';

const CHANNEL_UID = 'plugin::osteocom.channel';

/** Where the plugin's catalog page shows this channel: searched by its id. */
const catalogPathOf = (idChannel: string) =>
  `/plugins/${PLUGIN_ID}/catalog?q=${encodeURIComponent(idChannel)}`;

/** The subset of the Content Manager's edit-view context this panel reads. */
interface EditViewContext {
  model: string;
  document?: Record<string, unknown>;
}

const changedAnything = (run: SyncRun) =>
  run.status === 'succeeded' &&
  Boolean((run.created ?? 0) + (run.updated ?? 0) + (run.removed ?? 0) + (run.restored ?? 0));

const ChannelPanelContent = ({ idChannel }: { idChannel?: string }) => {
  const t = useT();
  const { canRead, canSync } = usePermissions();
  const { start: sync, isLoading, result } = useSyncCatalog();

  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="osteocom-channel-panel">
      <Typography variant="pi" textColor="neutral600">
        {t('cm.mirrored')}
      </Typography>
      {/* The catalog page needs the plugin's read permission, which the Editor role lacks by default. */}
      {idChannel && canRead ? (
        <LinkButton
          tag={NavLink}
          to={catalogPathOf(idChannel)}
          variant="secondary"
          endIcon={<ArrowRight />}
          fullWidth
        >
          {t('cm.openInCatalog')}
        </LinkButton>
      ) : null}
      {canSync ? (
        <Button
          startIcon={<ArrowClockwise />}
          onClick={sync}
          loading={isLoading}
          disabled={isLoading}
          variant="tertiary"
          fullWidth
        >
          {t('cm.syncCatalog')}
        </Button>
      ) : null}
      {result ? <SyncResult run={result} /> : null}
      {result && changedAnything(result) ? (
        <Typography variant="pi" textColor="neutral600">
          {t('cm.reloadToSee')}
        </Typography>
      ) : null}
    </Flex>
  );
};

/**
 * Content Manager edit view of an Osteocom channel: says the fields are mirrored, links to the
 * channel in the plugin's catalog and, for admins who may sync, syncs the catalog (Osteocom
 * serves it whole, so a single channel cannot be synced alone).
 */
export const ChannelSidePanel = ({ model, document }: EditViewContext) => {
  const t = useT();
  if (model !== CHANNEL_UID) return null;
  const idChannel = typeof document?.idChannel === 'string' ? document.idChannel : undefined;
  return { title: t('plugin.name'), content: <ChannelPanelContent idChannel={idChannel} /> };
};
