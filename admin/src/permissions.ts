/** The plugin's admin RBAC actions (server/src/permissions.ts), as the admin checks them. */
const action = (uid: string) => [{ action: `plugin::osteocom.${uid}`, subject: null }];

export const PERMISSIONS = {
  read: action('read'),
  sync: action('sync'),
  authorize: action('authorize'),
  revoke: action('revoke'),
  settingsRead: action('settings.read'),
  settingsUpdate: action('settings.update'),
  encryptionRotate: action('encryption.rotate'),
  customersExport: action('customers.export'),
  customersErase: action('customers.erase'),
  membersExport: action('members.export'),
  reportsView: action('reports.view'),
};
