export const PLUGIN_ID = 'osteocom';
