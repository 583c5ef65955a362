import type { PluginRouter } from '../plugin-router';
import { requires, requiresAny } from '../policies';

export default () =>
  ({
    type: 'admin',
    routes: [
      { method: 'GET', path: '/overview', handler: 'overview.get', config: requires('read') },
      { method: 'GET', path: '/settings', handler: 'settings.get', config: requires('settingsRead') },
      { method: 'PUT', path: '/settings', handler: 'settings.update', config: requires('settingsUpdate') },
      { method: 'POST', path: '/settings/test-connection', handler: 'settings.testConnection', config: requires('settingsRead') },
      { method: 'GET', path: '/webhook-events', handler: 'webhook-events.list', config: requires('settingsRead') },
      { method: 'PUT', path: '/webhook-events/:id', handler: 'webhook-events.update', config: requires('settingsUpdate') },
      { method: 'POST', path: '/sync', handler: 'sync.start', config: requires('sync') },
      { method: 'GET', path: '/sync-runs', handler: 'sync.runs', config: requires('read') },
      { method: 'GET', path: '/channels', handler: 'catalog.adminChannels', config: requires('read') },
      { method: 'GET', path: '/channels/:idChannel/videos', handler: 'catalog.adminVideos', config: requires('read') },
      { method: 'GET', path: '/customers', handler: 'customers.find', config: requires('read') },
      { method: 'POST', path: '/customers/search', handler: 'customers.search', config: requires('read') },
      { method: 'POST', path: '/members/search', handler: 'customers.members', config: requires('read') },
      { method: 'GET', path: '/customers/:userId', handler: 'customers.findOne', config: requires('read') },
      { method: 'GET', path: '/customers/:userId/export', handler: 'customers.export', config: requires('customersExport') },
      { method: 'POST', path: '/customers/:userId/erase', handler: 'customers.erase', config: requires('customersErase') },
      { method: 'POST', path: '/authorizations', handler: 'access.authorize', config: requires('authorize') },
      { method: 'POST', path: '/revocations', handler: 'access.revoke', config: requires('revoke') },
      // A pause revokes at Osteocom and a resume authorizes again: the same permissions as a refund and a purchase.
      { method: 'POST', path: '/pauses', handler: 'access.pause', config: requires('revoke') },
      { method: 'POST', path: '/resumptions', handler: 'access.resume', config: requires('authorize') },
      { method: 'POST', path: '/authorizations/bulk', handler: 'access.bulkAuthorize', config: requires('authorize') },
      { method: 'POST', path: '/authorizations/bulk/validate', handler: 'access.bulkValidate', config: requires('authorize') },
      { method: 'POST', path: '/revocations/bulk', handler: 'access.bulkRevoke', config: requires('revoke') },
      { method: 'GET', path: '/entitlements', handler: 'entitlements.find', config: requires('read') },
      { method: 'GET', path: '/entitlements/export', handler: 'entitlements.export', config: requires('membersExport') },
      { method: 'GET', path: '/entitlements/summary', handler: 'entitlements.summary', config: requires('read') },
      { method: 'POST', path: '/entitlements/extensions', handler: 'access.extend', config: requires('authorize') },
      { method: 'POST', path: '/entitlements/resend', handler: 'access.resend', config: requiresAny('authorize', 'revoke') },
      { method: 'POST', path: '/entitlements/resend-attention', handler: 'access.resendAttention', config: requiresAny('authorize', 'revoke') },
      { method: 'GET', path: '/reports', handler: 'reports.get', config: requires('reportsView') },
      { method: 'GET', path: '/reports/channels', handler: 'reports.channels', config: requires('reportsView') },
      { method: 'GET', path: '/audit-events', handler: 'audit-events.find', config: requires('read') },
      { method: 'GET', path: '/encryption', handler: 'encryption.status', config: requires('read') },
      { method: 'POST', path: '/encryption/rotate', handler: 'encryption.rotate', config: requires('encryptionRotate') },
    ],
  }) satisfies PluginRouter;
