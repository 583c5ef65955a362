import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import channelSchema from '../content-types/channel/schema.json';
import { isChannelSiteField } from '../content-types/channel/site-fields';
import videoSchema from '../content-types/video/schema.json';
import { CHANNEL_UID, createChannelRepository } from '../repositories/channel-repository';
import { VIDEO_UID, createVideoRepository } from '../repositories/video-repository';

/** Codes in `error.details.code` of the Content Manager's (and any Document Service caller's) refusal. */
export const MIRRORED_CODES = { FIELD: 'MIRRORED_FIELD', ENTRY: 'MIRRORED_ENTRY' } as const;

type Attribute = { type: string };

interface Mirrored {
  attributes: Record<string, Attribute>;
  current(strapi: Core.Strapi, documentId: string): Promise<Record<string, unknown> | null>;
}

const mirroredOnly = (attributes: Record<string, Attribute>, isSiteField: (name: string) => boolean) =>
  Object.fromEntries(Object.entries(attributes).filter(([name]) => !isSiteField(name)));

/**
 * Every attribute the plugin declares is written by the sync but a channel's site-owned fields; a
 * field a site adds to these types (an extension) is the editors' and stays editable.
 */
const OWNED: Record<string, Mirrored> = {
  [CHANNEL_UID]: { attributes: mirroredOnly(channelSchema.attributes, isChannelSiteField), current: (strapi, documentId) => createChannelRepository(strapi).findByDocumentId(documentId) },
  [VIDEO_UID]: { attributes: videoSchema.attributes, current: (strapi, documentId) => createVideoRepository(strapi).findByDocumentId(documentId) },
};

const REFUSED_ACTIONS = new Set(['create', 'clone', 'delete']);

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

const parsedJson = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

/** A relation payload changes nothing when it connects, disconnects and sets nothing (what the Content Manager sends). */
const relationChanges = (value: unknown) => {
  if (isEmpty(value)) return false;
  if (typeof value !== 'object' || Array.isArray(value)) return true;
  const { connect, disconnect, set } = value as Record<string, unknown[] | undefined>;
  return Boolean(connect?.length || disconnect?.length || set);
};

const differs = (attribute: Attribute, next: unknown, current: unknown) => {
  if (attribute.type === 'relation') return relationChanges(next);
  if (isEmpty(next) && isEmpty(current)) return false;
  if (isEmpty(next) || isEmpty(current)) return true;
  if (attribute.type === 'json') return !isDeepStrictEqual(parsedJson(next), parsedJson(current));
  if (attribute.type === 'datetime') return new Date(next as string).getTime() !== new Date(current as string).getTime();
  return String(next) !== String(current);
};

const changedFields = async (strapi: Core.Strapi, uid: string, documentId: string, data: Record<string, unknown>) => {
  const { attributes, current: read } = OWNED[uid];
  const sent = Object.keys(data).filter((name) => name in attributes);
  if (!sent.length) return [];
  const current = await read(strapi, documentId);
  if (!current) return [];
  return sent.filter((name) => differs(attributes[name], data[name], current[name]));
};

interface DocumentContext {
  uid: string;
  action: string;
  params: { documentId?: string; data?: Record<string, unknown> };
}

/**
 * Channels and videos mirror Osteocom: the Document Service (the Content Manager, other plugins,
 * site code) may not create, delete or change their synced fields — the next sync would undo the
 * edit, and a deleted channel would come back without the links site content had to it. The sync
 * writes with knex and is not affected.
 */
/**
 * A PolicyError (a 403 ForbiddenError): Strapi's route authorization turns any other ForbiddenError
 * thrown below it into a bare "Forbidden", and the editor would not learn why.
 */
export const mirroredCatalogGuard = (strapi: Core.Strapi) => async (ctx: DocumentContext, next: () => Promise<unknown>) => {
  if (!OWNED[ctx.uid]) return next();
  if (REFUSED_ACTIONS.has(ctx.action)) {
    throw new errors.PolicyError('Osteocom channels and videos are mirrored from the Osteocom catalog: they are created and removed by the sync only.', {
      code: MIRRORED_CODES.ENTRY,
    });
  }
  if (ctx.action === 'update' && ctx.params.documentId && ctx.params.data) {
    const fields = await changedFields(strapi, ctx.uid, ctx.params.documentId, ctx.params.data);
    if (fields.length) {
      throw new errors.PolicyError(`These fields are mirrored from the Osteocom catalog and cannot be edited: ${fields.join(', ')}. The next sync would overwrite them.`, {
        code: MIRRORED_CODES.FIELD,
        fields,
      });
    }
  }
  return next();
};

export const registerMirroredCatalogGuard = (strapi: Core.Strapi) => {
  strapi.documents.use(mirroredCatalogGuard(strapi) as Parameters<typeof strapi.documents.use>[0]);
};
