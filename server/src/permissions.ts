/** The plugin's admin RBAC actions, registered in bootstrap and enforced on every admin route. */
export const ACTIONS = {
  read: 'plugin::osteocom.read',
  sync: 'plugin::osteocom.sync',
  authorize: 'plugin::osteocom.authorize',
  revoke: 'plugin::osteocom.revoke',
  settingsRead: 'plugin::osteocom.settings.read',
  settingsUpdate: 'plugin::osteocom.settings.update',
  encryptionRotate: 'plugin::osteocom.encryption.rotate',
  customersExport: 'plugin::osteocom.customers.export',
  customersErase: 'plugin::osteocom.customers.erase',
  membersExport: 'plugin::osteocom.members.export',
  reportsView: 'plugin::osteocom.reports.view',
} as const;

export type ActionName = keyof typeof ACTIONS;

export const ADMIN_ACTIONS = [
  { uid: 'read', displayName: 'Read catalog, customers and activity', subCategory: 'general' },
  { uid: 'sync', displayName: 'Run a catalog sync', subCategory: 'general' },
  { uid: 'authorize', displayName: 'Authorize customer access', subCategory: 'access' },
  { uid: 'revoke', displayName: 'Revoke customer access', subCategory: 'access' },
  { uid: 'reports.view', displayName: 'View sales reports (purchases, refunds, revenue)', subCategory: 'general' },
  { uid: 'settings.read', displayName: 'Read settings', subCategory: 'settings' },
  { uid: 'settings.update', displayName: 'Change settings', subCategory: 'settings' },
  { uid: 'encryption.rotate', displayName: 'Re-encrypt stored secrets with the newest key', subCategory: 'settings' },
  { uid: 'customers.export', displayName: "Export a customer's personal data (GDPR art. 15)", subCategory: 'personal data' },
  { uid: 'members.export', displayName: 'Export the members list (CSV of customers and their access)', subCategory: 'personal data' },
  { uid: 'customers.erase', displayName: "Erase a customer's personal data (GDPR art. 17)", subCategory: 'personal data' },
].map((action) => ({ ...action, pluginName: 'osteocom', section: 'plugins' }));
