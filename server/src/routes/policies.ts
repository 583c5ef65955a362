import { ACTIONS, type ActionName } from '../permissions';

/** Every admin route requires an admin session and the named plugin action. */
export const requires = (...actions: ActionName[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: actions.map((action) => ACTIONS[action]) } },
  ],
});
