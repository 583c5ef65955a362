import { Box, Tabs } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { Outlet, useMatch, useNavigate } from 'react-router-dom';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';

export const TABS = ['overview', 'catalog', 'customers', 'activity', 'import', 'reports'] as const;
export type TabName = (typeof TABS)[number];

/** The menu page's frame: header, one tab per sub-route, the active page below. */
export const PluginLayout = () => {
  const t = useT();
  const navigate = useNavigate();
  const match = useMatch(`/plugins/${PLUGIN_ID}/:tab/*`);
  const current = TABS.find((tab) => tab === match?.params.tab) ?? 'overview';
  /** The active tab still leads back to its list, e.g. from a customer's page. */
  const nested = Boolean(match?.params['*']);
  const { canAuthorize, canViewReports } = usePermissions();
  // Importing purchases is for editors who may authorize; the sales figures for those who may see them.
  const tabs = TABS.filter(
    (tab) => (tab !== 'import' || canAuthorize) && (tab !== 'reports' || canViewReports)
  );

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name')}</Page.Title>
      <Layouts.Header title={t('plugin.name')} subtitle={t('plugin.description')} />
      <Layouts.Content>
        <Tabs.Root value={current} onValueChange={(tab) => navigate(tab)}>
          <Tabs.List aria-label={t('tabs.label')}>
            {tabs.map((tab) => (
              <Tabs.Trigger
                key={tab}
                value={tab}
                onClick={() => tab === current && nested && navigate(tab)}
              >
                {t(`tabs.${tab}`)}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
        </Tabs.Root>
        <Box paddingTop={6}>
          <Outlet />
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
};
