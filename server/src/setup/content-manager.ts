import type { Core } from '@strapi/strapi';
import channelSchema from '../content-types/channel/schema.json';
import { isChannelSiteField } from '../content-types/channel/site-fields';
import videoSchema from '../content-types/video/schema.json';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';

/**
 * The Content Manager labels an entry by its first `string` attribute — a channel's hex
 * `idChannel`, a video's `videoId` — in lists and in relation pickers, including those of the
 * site's own types that relate to them. Titles are what editors search for.
 */
const MIRRORED: Record<string, { attributes: string[]; idField: string }> = {
  [CHANNEL_UID]: { attributes: Object.keys(channelSchema.attributes).filter((name) => !isChannelSiteField(name)), idField: 'idChannel' },
  [VIDEO_UID]: { attributes: Object.keys(videoSchema.attributes), idField: 'videoId' },
};
const TITLE = 'title';

interface Metadata {
  edit: { editable?: boolean; mainField?: string } & Record<string, unknown>;
  list: Record<string, unknown>;
}

interface Configuration {
  settings: { mainField?: string; defaultSortBy?: string } & Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: Record<string, unknown>;
}

interface ContentTypesService {
  findConfiguration(contentType: { uid: string }): Promise<Configuration>;
  updateConfiguration(contentType: { uid: string }, configuration: Omit<Configuration, 'uid'>): Promise<unknown>;
}

/** Synced fields read-only and the title as main field of the mirrored types themselves. */
const ownTypeChanges = (uid: string, config: Configuration): boolean => {
  const { attributes, idField } = MIRRORED[uid];
  let changed = false;
  for (const name of attributes) {
    const edit = config.metadatas[name]?.edit;
    if (edit && edit.editable !== false) {
      edit.editable = false;
      changed = true;
    }
  }
  if (config.settings.mainField === idField) {
    config.settings.mainField = TITLE;
    changed = true;
  }
  return changed;
};

/** Relations of any type to a channel or video show its title, unless an admin chose another field. */
const relationChanges = (strapi: Core.Strapi, uid: string, config: Configuration): boolean => {
  let changed = false;
  const attributes = strapi.contentTypes[uid as keyof typeof strapi.contentTypes].attributes as Record<string, { type: string; target?: string }>;
  for (const [name, attribute] of Object.entries(attributes)) {
    const target = attribute.type === 'relation' && attribute.target ? MIRRORED[attribute.target] : undefined;
    const edit = config.metadatas[name]?.edit;
    if (!target || !edit || edit.mainField !== target.idField) continue;
    edit.mainField = TITLE;
    changed = true;
  }
  return changed;
};

/**
 * Runs after the Content Manager synced its configurations (its bootstrap comes first), on every
 * start, so a relation a site adds later gets the title too. Idempotent on every server.
 */
export const configureContentManager = async (strapi: Core.Strapi) => {
  const contentManager = strapi.plugin('content-manager');
  if (!contentManager) return;
  const service = contentManager.service('content-types') as unknown as ContentTypesService;
  for (const uid of Object.keys(strapi.contentTypes)) {
    const contentType = { uid };
    const { settings, metadatas, layouts } = await service.findConfiguration(contentType);
    if (!settings || !metadatas) continue;
    const config = { settings, metadatas, layouts };
    const own = MIRRORED[uid] ? ownTypeChanges(uid, config) : false;
    const relations = relationChanges(strapi, uid, config);
    if (own || relations) await service.updateConfiguration(contentType, config);
  }
};
