import { factories } from '@strapi/strapi';
import access from './access';
import catalog from './catalog';
import encryption from './encryption';
import me from './me';
import overview from './overview';
import settings from './settings';
import sync from './sync';
import videoToken from './video-token';

export default {
  access,
  // Strapi's core read actions for the mirrored types (routes/catalog-entries.ts).
  channel: factories.createCoreController('plugin::osteocom.channel'),
  video: factories.createCoreController('plugin::osteocom.video'),
  catalog,
  encryption,
  me,
  overview,
  settings,
  sync,
  'video-token': videoToken,
};
