'use strict';

/**
 * The Strapi plugin layout's admin entry point: the built admin panel code, the same module as
 * the package's `exports['./strapi-admin']` (which Strapi 5 reads first).
 */
module.exports = require('./dist/admin');
