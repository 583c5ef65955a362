import type { StrapiApp } from '@strapi/strapi/admin';
import { ChannelSidePanel } from './components/ChannelSidePanel';
import { Initializer } from './components/Initializer';
import { PluginIcon } from './components/PluginIcon';
import { PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { getTranslation } from './utils/getTranslation';

const plugin: StrapiApp['appPlugins'][string] = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Osteocom' },
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.read,
    });

    // `addSettingsLink` with a section object is Strapi 5's replacement for the deprecated
    // `createSettingSection`: it creates the "Osteocom" section and its link in one call.
    app.addSettingsLink(
      {
        id: PLUGIN_ID,
        intlLabel: { id: getTranslation('settings.section'), defaultMessage: 'Osteocom' },
      },
      [
        {
          id: `${PLUGIN_ID}-settings`,
          to: PLUGIN_ID,
          intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Osteocom' },
          Component: () => import('./pages/SettingsPage'),
          permissions: PERMISSIONS.settingsRead,
        },
      ]
    );

    app.registerPlugin({
      id: PLUGIN_ID,
      initializer: Initializer,
      isReady: false,
      name: PLUGIN_ID,
    });
  },

  bootstrap(app) {
    // Typed loosely: the Content Manager's plugin types are not part of `@strapi/strapi/admin`.
    const contentManager = app.getPlugin('content-manager') as unknown as {
      apis: { addEditViewSidePanel(panels: unknown[]): void };
    };
    contentManager.apis.addEditViewSidePanel([ChannelSidePanel]);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as {
            default: Record<string, string>;
          };
          const prefixed = Object.fromEntries(
            Object.entries(data).map(([key, value]) => [getTranslation(key), value])
          );
          return { data: prefixed, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};

export default plugin;
