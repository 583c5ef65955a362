import type { OsteocomEnvironment } from '../../config/schema';

export const DEFAULT_BASE_URLS: Readonly<Record<OsteocomEnvironment, string>> = {
  test: 'https://test.osteocom.me/sv6',
  production: 'https://www.osteocom.me/sv6',
};

/** The environment's documented base URL unless an explicit one (a proxy, the sandbox) overrides it. */
export const resolveBaseUrl = (environment: OsteocomEnvironment, override?: string): string => {
  const base = override?.trim() || DEFAULT_BASE_URLS[environment];
  return base.replace(/\/+$/, '');
};
