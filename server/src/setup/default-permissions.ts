import type { Core } from '@strapi/strapi';

/**
 * Content-API actions the plugin grants to users-permissions roles: what a visitor needs (the
 * plugin's catalog routes) and, for signed-in users, the video token and their entitlements.
 * Strapi's read actions for the mirrored types (`channel.find`, `video.find`, …) are not granted:
 * a site that populates relations to channels from its own types grants them itself. Each grant
 * is applied once, ever: the store keeps the ones applied, so a grant added by a new version
 * reaches a site that upgrades, and one an admin later took away is not given back at the next
 * restart (nor one the plugin no longer grants taken from a site that has it).
 */
const DEFAULT_GRANTS: Record<string, string[]> = {
  public: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne'],
  // Strapi's Authenticated role does not inherit Public: signed-in users browse the catalog too.
  authenticated: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne', 'plugin::osteocom.video-token.create', 'plugin::osteocom.me.get'],
};

/** What 0.1.0 granted on its first start, recorded then only as a flag without the list. */
const GRANTED_BY_0_1: Record<string, string[]> = {
  public: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne'],
  authenticated: ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne', 'plugin::osteocom.video-token.create', 'plugin::osteocom.me.get'],
};

const STORE_KEY = 'default-permissions-granted';
const ROLE_UID = 'plugin::users-permissions.role';

const grantKeys = (grants: Record<string, string[]>) => Object.entries(grants).flatMap(([role, actions]) => actions.map((action) => `${role}:${action}`));

const rolesExist = async (strapi: Core.Strapi) =>
  (await strapi.db.query(ROLE_UID).count({ where: { type: { $in: Object.keys(DEFAULT_GRANTS) } } })) >= Object.keys(DEFAULT_GRANTS).length;

/** The grants applied so far: the stored list, or 0.1.0's set where only its flag was stored. */
const appliedGrants = async (strapi: Core.Strapi): Promise<Set<string>> => {
  const stored = (await strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY }).get({})) as { granted?: string[] } | null;
  if (!stored) return new Set();
  return new Set(stored.granted ?? grantKeys(GRANTED_BY_0_1));
};

const grant = async (strapi: Core.Strapi, missing: string[]) => {
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const key of missing) {
    const [type, action] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const role = await strapi.db.query(ROLE_UID).findOne({ where: { type } });
    if (!role) continue;
    const existing = await permissions.findOne({ where: { action, role: role.id } });
    if (!existing) await permissions.create({ data: { action, role: role.id } });
  }
};

export const grantDefaultPermissions = async (strapi: Core.Strapi) => {
  const usersPermissions = strapi.plugin('users-permissions');
  if (!usersPermissions) return;
  const applied = await appliedGrants(strapi);
  const missing = grantKeys(DEFAULT_GRANTS).filter((key) => !applied.has(key));
  if (!missing.length) return;
  if (!(await rolesExist(strapi))) {
    // A new database, and this plugin bootstraps before users-permissions (a site that declares
    // `osteocom` first in config/plugins.ts, or only `osteocom`). Let users-permissions set up its
    // roles and its own default permissions first — its idempotent initialize(), which its
    // bootstrap calls again later to no effect — or ours would make it skip its defaults.
    const service = usersPermissions.service('users-permissions') as { initialize?: () => Promise<unknown> } | undefined;
    await service?.initialize?.();
  }
  // Without the roles nothing is recorded: the next start tries again.
  if (!(await rolesExist(strapi))) return;
  await grant(strapi, missing);
  await strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY }).set({ value: { granted: [...applied, ...missing], at: new Date().toISOString() } });
  strapi.log.info(`[osteocom] ${missing.length} default content-API permissions granted: ${missing.join(', ')}`);
};
