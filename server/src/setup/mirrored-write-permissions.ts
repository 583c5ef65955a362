import type { Core } from '@strapi/strapi';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';

/**
 * Strapi gives its default Editor and Author roles create, delete and publish on every content
 * type, and the Content Manager then offers buttons on channels and videos that always fail (the
 * mirrored-catalog guard refuses them). They are taken away once, on install or upgrade; the
 * store records it, so an admin who grants them again later keeps that choice (and the guard
 * still refuses the writes).
 */
const STORE_KEY = 'mirrored-write-permissions-removed';
const DEFAULT_ROLES = ['strapi-editor', 'strapi-author'];
const ACTIONS = ['create', 'delete', 'publish'].map((action) => `plugin::content-manager.explorer.${action}`);

const remove = async (strapi: Core.Strapi) => {
  const roles = (await strapi.db.query('admin::role').findMany({ select: ['id'], where: { code: { $in: DEFAULT_ROLES } } })) as { id: number }[];
  const removed = roles.length
    ? await strapi.db.query('admin::permission').deleteMany({ where: { role: { id: { $in: roles.map((role) => role.id) } }, subject: { $in: [CHANNEL_UID, VIDEO_UID] }, action: { $in: ACTIONS } } })
    : { count: 0 };
  await strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY }).set({ value: { at: new Date().toISOString(), removed: removed.count } });
  if (removed.count) strapi.log.info(`[osteocom] ${removed.count} create/delete/publish permissions on channels and videos removed from the default roles`);
};

interface RoleService {
  createRolesIfNoneExist?: (...args: unknown[]) => Promise<unknown>;
}

export const removeMirroredWritePermissions = async (strapi: Core.Strapi) => {
  if (await strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY }).get({})) return;
  if (await strapi.db.query('admin::role').count()) return remove(strapi);
  // A new database: Strapi's admin creates its default roles after the plugins' bootstrap, through
  // this service method. Ours runs right after it, in the same start.
  const roles = strapi.service('admin::role') as RoleService;
  const create = roles.createRolesIfNoneExist;
  if (typeof create !== 'function') return;
  roles.createRolesIfNoneExist = async (...args: unknown[]) => {
    roles.createRolesIfNoneExist = create;
    const result = await create.apply(roles, args);
    await remove(strapi);
    return result;
  };
};
