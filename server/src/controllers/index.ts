import access from './access';
import catalog from './catalog';
import me from './me';
import overview from './overview';
import settings from './settings';
import sync from './sync';
import videoToken from './video-token';

export default {
  access,
  catalog,
  me,
  overview,
  settings,
  sync,
  'video-token': videoToken,
};
