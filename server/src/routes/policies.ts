import { ACTIONS, type ActionName } from '../permissions';

/** Every admin route requires an admin session and the named plugin action. */
export const requires = (...actions: ActionName[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: actions.map((action) => ACTIONS[action]) } },
  ],
});

/** An admin session and at least one of the actions: the controller checks the one the request needs. */
export const requiresAny = (...actions: ActionName[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'plugin::osteocom.has-any-permission', config: { actions: actions.map((action) => ACTIONS[action]) } },
  ],
});
