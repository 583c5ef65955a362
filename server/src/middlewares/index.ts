import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';
import { boundedCatalogQuery } from './bounded-catalog-query';
import { rateLimit } from './rate-limit';
import { visibleCatalog } from './visible-catalog';

/**
 * The route middlewares (`plugin::osteocom.<name>` in a route's `config.middlewares`). The
 * Document Service guards and the error-code middleware are installed in `register`.
 */
export default {
  'rate-limit': rateLimit,
  'bounded-channel-query': boundedCatalogQuery(CHANNEL_UID),
  'bounded-video-query': boundedCatalogQuery(VIDEO_UID),
  'visible-channels': visibleCatalog('channel'),
  'visible-videos': visibleCatalog('video'),
};
