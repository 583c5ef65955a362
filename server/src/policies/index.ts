import type { Core } from '@strapi/strapi';

export interface AnyPermissionConfig {
  actions: string[];
}

/**
 * `admin::hasPermissions` requires every action it lists; a route whose action depends on the
 * row it acts on (a re-send is a purchase or a refund) needs one of them here, and the exact one
 * in its service.
 */
const hasAnyPermission: Core.PolicyHandler<AnyPermissionConfig> = (policyContext, config) => {
  const ability = (policyContext as unknown as { state: { userAbility?: unknown } }).state.userAbility as { can: (action: string) => boolean } | undefined;
  return Boolean(ability) && config.actions.some((action) => ability!.can(action));
};

export default { 'has-any-permission': hasAnyPermission };
