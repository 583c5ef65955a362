import { useRBAC } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';

/*
 * useRBAC names each allowed action after the last segment of its uid, so `read` and
 * `settings.read` would both become `canRead`: the two groups are checked separately.
 */
const GENERAL = [
  ...PERMISSIONS.read,
  ...PERMISSIONS.sync,
  ...PERMISSIONS.authorize,
  ...PERMISSIONS.revoke,
  ...PERMISSIONS.encryptionRotate,
  ...PERMISSIONS.customersExport,
  ...PERMISSIONS.customersErase,
  ...PERMISSIONS.reportsView,
];
const SETTINGS = [...PERMISSIONS.settingsRead, ...PERMISSIONS.settingsUpdate];
// `members.export` would be `canExport` too, as `customers.export` is.
const MEMBERS = [...PERMISSIONS.membersExport];

export interface OsteocomPermissions {
  isLoading: boolean;
  canRead: boolean;
  canSync: boolean;
  canAuthorize: boolean;
  canRevoke: boolean;
  canReadSettings: boolean;
  canUpdateSettings: boolean;
  canRotateKeys: boolean;
  canExportCustomer: boolean;
  canEraseCustomer: boolean;
  canExportMembers: boolean;
  canViewReports: boolean;
}

/** What the signed-in admin may do with the plugin (the actions of server/src/permissions.ts). */
export const usePermissions = (): OsteocomPermissions => {
  const general = useRBAC(GENERAL);
  const settings = useRBAC(SETTINGS);
  const members = useRBAC(MEMBERS);
  return {
    isLoading: general.isLoading || settings.isLoading || members.isLoading,
    canRead: Boolean(general.allowedActions.canRead),
    canSync: Boolean(general.allowedActions.canSync),
    canAuthorize: Boolean(general.allowedActions.canAuthorize),
    canRevoke: Boolean(general.allowedActions.canRevoke),
    canReadSettings: Boolean(settings.allowedActions.canRead),
    canUpdateSettings: Boolean(settings.allowedActions.canUpdate),
    // `encryption.rotate` → `canRotate`.
    canRotateKeys: Boolean(general.allowedActions.canRotate),
    // `customers.export` → `canExport`, `customers.erase` → `canErase`.
    canExportCustomer: Boolean(general.allowedActions.canExport),
    canEraseCustomer: Boolean(general.allowedActions.canErase),
    canExportMembers: Boolean(members.allowedActions.canExport),
    // `reports.view` → `canView`.
    canViewReports: Boolean(general.allowedActions.canView),
  };
};
