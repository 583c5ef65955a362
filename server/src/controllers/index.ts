import { factories } from '@strapi/strapi';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';
import access from './access';
import auditEvents from './audit-events';
import catalog from './catalog';
import customers from './customers';
import encryption from './encryption';
import entitlements from './entitlements';
import me from './me';
import overview from './overview';
import reports from './reports';
import settings from './settings';
import sync from './sync';
import videoToken from './video-token';
import webhookEvents from './webhook-events';

export default {
  access,
  'audit-events': auditEvents,
  // Strapi's core read actions for the mirrored types (routes/catalog-entries.ts).
  channel: factories.createCoreController(CHANNEL_UID),
  video: factories.createCoreController(VIDEO_UID),
  catalog,
  customers,
  encryption,
  entitlements,
  me,
  overview,
  reports,
  settings,
  sync,
  'video-token': videoToken,
  'webhook-events': webhookEvents,
};
