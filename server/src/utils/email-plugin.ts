import type { Core } from '@strapi/strapi';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

interface EmailProvider {
  send(message: EmailMessage): Promise<unknown>;
}

/**
 * Strapi's email plugin's provider when the site configured one, else null. The plugin ships with
 * Strapi and falls back to `sendmail` (delivery straight from the server, rarely what a site wants)
 * when config/plugins.ts names none: that fallback counts only with `reminders.emailWithSendmail`.
 */
export const emailProvider = (strapi: Core.Strapi): EmailProvider | null => {
  const plugin = strapi.plugin('email') as unknown as { provider?: EmailProvider } | undefined;
  if (!plugin?.provider || typeof plugin.provider.send !== 'function') return null;
  const name = String(strapi.config.get('plugin::email.provider', '')).toLowerCase();
  const { emailWithSendmail } = strapi.plugin('osteocom').config('reminders') as { emailWithSendmail: boolean };
  if (name === 'sendmail' && !emailWithSendmail) return null;
  return plugin.provider;
};
