import type { Core } from '@strapi/strapi';

/**
 * Content-API actions the plugin grants to users-permissions roles on its first bootstrap only,
 * so that an admin who later takes one away is not overridden at the next restart.
 */
const DEFAULT_GRANTS: Record<string, string[]> = {
  public: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne'],
  authenticated: ['plugin::osteocom.video-token.create', 'plugin::osteocom.me.get'],
};

const FLAG = 'default-permissions-granted';

export const grantDefaultPermissions = async (strapi: Core.Strapi) => {
  if (!strapi.plugin('users-permissions')) return;
  const store = strapi.store({ type: 'plugin', name: 'osteocom', key: FLAG });
  if (await store.get({})) return;
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const [type, actions] of Object.entries(DEFAULT_GRANTS)) {
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } });
    if (!role) continue;
    for (const action of actions) {
      const existing = await permissions.findOne({ where: { action, role: role.id } });
      if (!existing) await permissions.create({ data: { action, role: role.id } });
    }
  }
  await store.set({ value: { at: new Date().toISOString() } });
  strapi.log.info('[osteocom] default content-API permissions granted', { grants: DEFAULT_GRANTS });
};
