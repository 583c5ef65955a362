import admin from './admin';
import catalogEntries from './catalog-entries';
import contentApi from './content-api';

export default {
  admin,
  'content-api': contentApi,
  'catalog-entries': catalogEntries,
};
