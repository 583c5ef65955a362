'use strict';

/**
 * The Strapi plugin layout's server entry point: the built server, the same module as the
 * package's `exports['./strapi-server']` (which Strapi 5 reads first).
 */
module.exports = require('./dist/server');
