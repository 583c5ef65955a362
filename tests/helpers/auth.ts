import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

const unique = () => randomBytes(4).toString('hex');

const PASSWORD = 'Test-Password-123';

/** An admin JWT from the real /admin/login route. */
export const loginAdmin = async (app: TestApp, email: string, password = PASSWORD): Promise<string> => {
  const res = await app.http.post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
};

/** An admin user whose only role grants exactly `actions` (plugin action uids). */
export const createAdmin = async (app: TestApp, actions: string[] | 'super'): Promise<{ email: string; token: string }> => {
  const roles = app.strapi.service('admin::role');
  const role =
    actions === 'super'
      ? await roles.getSuperAdmin()
      : await roles.create({ name: `role-${unique()}`, description: 'test role' });
  if (actions !== 'super') {
    await roles.assignPermissions(role.id, actions.map((action) => ({ action, subject: null, conditions: [], properties: {} })));
  }
  return createAdminInRole(app, role.id);
};

interface Metrics {
  sendDidInviteUser: () => Promise<void>;
}

/**
 * Creates an admin user through Strapi's service, and waits for the telemetry counts Strapi starts
 * after it without awaiting them (`admin::metrics` sendDidInviteUser, still Strapi's own code): a
 * file that closes its app right after left their query to a pool being destroyed, an unhandled
 * KnexTimeoutError 60 s later that failed a step whose tests had all passed (Node 24, MySQL in
 * session 10 and PostgreSQL in session 11, two CI runs at once).
 */
export const createAdminUser = async (app: TestApp, data: Record<string, unknown>) => {
  const metrics = app.strapi.service('admin::metrics') as unknown as Metrics;
  const send = metrics.sendDidInviteUser;
  const sent: Promise<void>[] = [];
  metrics.sendDidInviteUser = () => {
    const counted = send();
    sent.push(counted);
    return counted;
  };
  try {
    await app.strapi.service('admin::user').create(data);
  } finally {
    metrics.sendDidInviteUser = send;
  }
  // Strapi 5.54 starts them once per user created; none means this wait no longer covers them.
  if (sent.length !== 1) throw new Error(`Strapi started ${sent.length} invite telemetry counts for one admin user, not 1: see createAdminUser`);
  await Promise.all(sent);
};

/** An admin user in an existing role (e.g. Strapi's own Editor), signed in. */
export const createAdminInRole = async (app: TestApp, roleId: number): Promise<{ email: string; token: string }> => {
  const email = `admin-${unique()}@osteocom.test`;
  await createAdminUser(app, { email, firstname: 'Test', lastname: 'Admin', password: PASSWORD, isActive: true, registrationToken: null, roles: [roleId] });
  return { email, token: await loginAdmin(app, email) };
};

/** A users-permissions end user in the Authenticated role and a real JWT for it. */
export const createEndUser = async (app: TestApp): Promise<{ user: { id: number; documentId: string; email: string }; jwt: string }> => {
  const role = await app.strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'authenticated' } });
  const name = `user-${unique()}`;
  const user = await app.strapi.plugin('users-permissions').service('user').add({
    username: name,
    email: `${name}@example.com`,
    password: PASSWORD,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
  });
  const jwt = app.strapi.plugin('users-permissions').service('jwt').issue({ id: user.id });
  return { user, jwt };
};

/** An API token: read-only, full-access, or custom with the given content-API actions. */
export const createApiToken = async (
  app: TestApp,
  type: 'read-only' | 'full-access' | 'custom',
  permissions: string[] = []
): Promise<string> => {
  const token = await app.strapi.service('admin::api-token').create({
    name: `token-${unique()}`,
    description: 'test token',
    type,
    lifespan: null,
    permissions: type === 'custom' ? permissions : undefined,
  });
  return token.accessKey as string;
};
