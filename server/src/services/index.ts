import { factories } from '@strapi/strapi';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';
import access from './access';
import audit from './audit';
import bulkAccess from './bulk-access';
import catalog from './catalog';
import catalogSync from './catalog-sync';
import crypto from './crypto';
import customers from './customers';
import keyRotation from './key-rotation';
import lock from './lock';
import osteocomClient from './osteocom-client';
import outbox from './outbox';
import personalData from './personal-data';
import scheduler from './scheduler';
import settings from './settings';
import videoToken from './video-token';

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
  'key-rotation': keyRotation,
  lock,
  'osteocom-client': osteocomClient,
  outbox,
  'personal-data': personalData,
  scheduler,
  settings,
  'video-token': videoToken,
};
