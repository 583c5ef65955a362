import type { Core } from '@strapi/strapi';

/**
 * Content-API actions the plugin grants to users-permissions roles on its first bootstrap only,
 * so that an admin who later takes one away is not overridden at the next restart.
 */
/** Strapi's read actions for the mirrored types, so site content that relates to them can populate them. */
const CATALOG_ENTRIES = ['channel.find', 'channel.findOne', 'video.find', 'video.findOne'].map((action) => `plugin::osteocom.${action}`);

const DEFAULT_GRANTS: Record<string, string[]> = {
  public: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne', ...CATALOG_ENTRIES],
  // Strapi's Authenticated role does not inherit Public: signed-in users browse the catalog too.
  authenticated: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne', ...CATALOG_ENTRIES, 'plugin::osteocom.video-token.create', 'plugin::osteocom.me.get'],
};

const FLAG = 'default-permissions-granted';
const ROLE_UID = 'plugin::users-permissions.role';

const rolesExist = async (strapi: Core.Strapi) =>
  (await strapi.db.query(ROLE_UID).count({ where: { type: { $in: Object.keys(DEFAULT_GRANTS) } } })) >= Object.keys(DEFAULT_GRANTS).length;

const grant = async (strapi: Core.Strapi) => {
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const [type, actions] of Object.entries(DEFAULT_GRANTS)) {
    const role = await strapi.db.query(ROLE_UID).findOne({ where: { type } });
    if (!role) continue;
    for (const action of actions) {
      const existing = await permissions.findOne({ where: { action, role: role.id } });
      if (!existing) await permissions.create({ data: { action, role: role.id } });
    }
  }
  await strapi.store({ type: 'plugin', name: 'osteocom', key: FLAG }).set({ value: { at: new Date().toISOString() } });
  strapi.log.info('[osteocom] default content-API permissions granted', { grants: DEFAULT_GRANTS });
};

export const grantDefaultPermissions = async (strapi: Core.Strapi) => {
  const usersPermissions = strapi.plugin('users-permissions');
  if (!usersPermissions) return;
  if (await strapi.store({ type: 'plugin', name: 'osteocom', key: FLAG }).get({})) return;
  if (!(await rolesExist(strapi))) {
    // A new database, and this plugin bootstraps before users-permissions (a site that declares
    // `osteocom` first in config/plugins.ts, or only `osteocom`). Let users-permissions set up its
    // roles and its own default permissions first — its idempotent initialize(), which its
    // bootstrap calls again later to no effect — or ours would make it skip its defaults.
    const service = usersPermissions.service('users-permissions') as { initialize?: () => Promise<unknown> } | undefined;
    await service?.initialize?.();
  }
  // Without the roles the flag stays unset: the next start tries again.
  if (await rolesExist(strapi)) await grant(strapi);
};
