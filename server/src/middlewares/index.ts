import { rateLimit } from './rate-limit';

/**
 * The route middlewares (`plugin::osteocom.<name>` in a route's `config.middlewares`). The
 * Document Service guards and the error-code middleware are installed in `register`.
 */
export default {
  'rate-limit': rateLimit,
};
