import type { Core } from '@strapi/strapi';
import { CHANNEL_SITE_FIELDS } from '../content-types/channel/site-fields';
import { CHANNEL_UID } from '../repositories/channel-repository';

/**
 * Strapi grants a role's Content Manager permissions field by field, and on a content type's new
 * attribute it adds only required ones: a site that upgrades would see its Editor unable to set a
 * channel's site-owned fields. Each role that may read or edit channels gets them, once — the
 * store records it, so a field an admin later takes away stays away.
 */
const STORE_KEY = 'channel-site-fields-granted';
const ACTIONS = [
  'plugin::content-manager.explorer.read',
  'plugin::content-manager.explorer.update',
];

interface PermissionRow {
  id: number;
  properties: { fields?: string[] | null } | null;
}

export const grantChannelSiteFields = async (strapi: Core.Strapi) => {
  const store = strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY });
  if (await store.get({})) return;
  const permissions = strapi.db.query('admin::permission');
  // A new database has no roles yet: Strapi's admin creates them after the plugins' bootstrap, with every field.
  const rows = (await permissions.findMany({
    where: { subject: CHANNEL_UID, action: { $in: ACTIONS } },
  })) as PermissionRow[];
  let updated = 0;
  for (const row of rows) {
    const fields = row.properties?.fields;
    // No list means every field already.
    if (!Array.isArray(fields)) continue;
    const missing = CHANNEL_SITE_FIELDS.filter((field) => !fields.includes(field));
    if (!missing.length) continue;
    await permissions.update({
      where: { id: row.id },
      data: { properties: { ...row.properties, fields: [...fields, ...missing] } },
    });
    updated += 1;
  }
  await store.set({ value: { at: new Date().toISOString(), permissions: updated } });
  if (updated)
    strapi.log.info(
      `[osteocom] ${updated} Content Manager permissions on channels given the site-owned fields`
    );
};
