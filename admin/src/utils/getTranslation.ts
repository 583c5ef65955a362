import type en from '../translations/en.json';
import { PLUGIN_ID } from '../pluginId';

/** A key of translations/en.json (the reference locale; it.json has the same keys). */
export type MessageKey = keyof typeof en;

/** `sync.now` → `osteocom.sync.now`, the id react-intl knows the message by. */
const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

export { getTranslation };
