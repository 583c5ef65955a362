import { PLUGIN_ID } from '../pluginId';

/** The plugin's admin routes are mounted at /<plugin id>/... on the admin API. */
export const apiPath = (path: string) => `/${PLUGIN_ID}${path}`;
