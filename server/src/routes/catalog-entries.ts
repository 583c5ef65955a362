import type { PluginRouter } from './plugin-router';

/**
 * Strapi's standard read actions for the mirrored types (`plugin::osteocom.channel.find`, …): they
 * make the types grantable in Users & Permissions and to custom API tokens, which is what Strapi
 * checks when site content populates a relation to a channel or video. Core controllers, so
 * filters, populate and private fields follow Strapi's rules, within the plugin's bounds (one
 * relation deep, pages of at most 100): channels and videos relate both ways, and an unbounded
 * read multiplies rows with every level. Read only: the sync writes them. Visitors see what the
 * plugin's catalog routes show: no removed rows, no channel an editor unlisted.
 */
const read = (type: 'channels' | 'videos', controller: 'channel' | 'video') => {
  const config = { middlewares: [`plugin::osteocom.bounded-${controller}-query`, `plugin::osteocom.visible-${type}`] };
  return [
    { method: 'GET', path: `/entries/${type}`, handler: `${controller}.find`, config },
    { method: 'GET', path: `/entries/${type}/:id`, handler: `${controller}.findOne`, config },
  ] satisfies PluginRouter['routes'];
};

export default () =>
  ({
    type: 'content-api',
    routes: [...read('channels', 'channel'), ...read('videos', 'video')],
  }) satisfies PluginRouter;
