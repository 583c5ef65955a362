import { factories } from '@strapi/strapi';
import access from './access';
import auditEvents from './audit-events';
import catalog from './catalog';
import customers from './customers';
import encryption from './encryption';
import entitlements from './entitlements';
import me from './me';
import overview from './overview';
import settings from './settings';
import sync from './sync';
import videoToken from './video-token';

export default {
  access,
  'audit-events': auditEvents,
  // Strapi's core read actions for the mirrored types (routes/catalog-entries.ts).
  channel: factories.createCoreController('plugin::osteocom.channel'),
  video: factories.createCoreController('plugin::osteocom.video'),
  catalog,
  customers,
  encryption,
  entitlements,
  me,
  overview,
  settings,
  sync,
  'video-token': videoToken,
};
