import type { Core } from '@strapi/strapi';

export const PLAYGROUND_ADMIN = {
  email: process.env.PLAYGROUND_ADMIN_EMAIL || 'admin@osteocom.test',
  password: process.env.PLAYGROUND_ADMIN_PASSWORD || 'Osteocom-Playground-1',
};

/** The playground seeds a super admin so a newcomer can log in at once. */
const seedAdmin = async (strapi: Core.Strapi) => {
  const users = strapi.service('admin::user');
  if ((await users.count()) > 0) return;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await users.create({
    email: PLAYGROUND_ADMIN.email,
    firstname: 'Playground',
    lastname: 'Admin',
    password: PLAYGROUND_ADMIN.password,
    isActive: true,
    registrationToken: null,
    roles: superAdmin ? [superAdmin.id] : [],
  });
  strapi.log.info(`[playground] super admin created: ${PLAYGROUND_ADMIN.email} / ${PLAYGROUND_ADMIN.password}`);
};

export default {
  register() {},
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await seedAdmin(strapi);
  },
};
