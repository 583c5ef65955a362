import type { Core } from '@strapi/strapi';
import { documentationOverride } from './openapi';

interface OverrideService {
  registerOverride(override: unknown, options?: { pluginOrigin?: string; excludeFromGeneration?: string[] }): void;
}

/**
 * When the site uses `@strapi/plugin-documentation`, the plugin's content-API routes appear in
 * its generated spec. Optional: without the documentation plugin this does nothing.
 *
 * The documentation plugin documents only the plugins listed in its
 * `x-strapi-config.plugins` (by default upload and users-permissions). A site that keeps the
 * default gets the Osteocom routes too; a site that lists plugins gets them only if it lists
 * `osteocom`. The generic generator is kept off the plugin: its guesses would clash with this spec.
 */
export const registerDocumentation = (strapi: Core.Strapi) => {
  const documentation = strapi.plugin('documentation');
  if (!documentation) return;
  const override = documentation.service('override') as OverrideService | undefined;
  if (typeof override?.registerOverride !== 'function') return;
  const listed = (strapi.config.get('plugin::documentation') as { 'x-strapi-config'?: { plugins?: unknown } } | undefined)?.['x-strapi-config']?.plugins;
  override.registerOverride(documentationOverride(), {
    ...(Array.isArray(listed) ? { pluginOrigin: 'osteocom' } : {}),
    excludeFromGeneration: ['osteocom'],
  });
};
