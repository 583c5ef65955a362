import path from 'node:path';

export const ROOT_DIR = path.resolve(__dirname, '../..');
export const APP_DIR = path.join(ROOT_DIR, 'playground');
export const APP_DIST_DIR = path.join(APP_DIR, 'dist');
export const PLUGIN_SERVER_ENTRY = path.join(ROOT_DIR, 'dist', 'server', 'index.js');
