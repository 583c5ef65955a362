import { factories } from '@strapi/strapi';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';
import access from './access/access';
import audit from './platform/audit';
import bulkAccess from './access/bulk-access';
import catalog from './catalog/catalog';
import catalogSync from './catalog/catalog-sync';
import crypto from './keys/crypto';
import customers from './access/customers';
import entitlements from './access/entitlements';
import keyRotation from './keys/key-rotation';
import lock from './platform/lock';
import membersExport from './access/members-export';
import osteocomClient from './osteocom-client';
import outbox from './access/outbox';
import personalData from './access/personal-data';
import reminders from './access/reminders';
import reports from './access/reports';
import scheduler from './platform/scheduler';
import settings from './platform/settings';
import videoToken from './access/video-token';
import webhookEvents from './platform/webhook-events';

export default {
  access,
  audit,
  'bulk-access': bulkAccess,
  catalog,
  'catalog-sync': catalogSync,
  // Strapi's core services behind the core read controllers (routes/catalog-entries.ts).
  channel: factories.createCoreService(CHANNEL_UID),
  video: factories.createCoreService(VIDEO_UID),
  crypto,
  customers,
  entitlements,
  'key-rotation': keyRotation,
  lock,
  'members-export': membersExport,
  'osteocom-client': osteocomClient,
  outbox,
  'personal-data': personalData,
  reminders,
  reports,
  scheduler,
  settings,
  'video-token': videoToken,
  'webhook-events': webhookEvents,
};
