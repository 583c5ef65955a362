import type { OsteocomEnvironment } from '../../config/schema';

/** The only place in the plugin that knows Osteocom's URLs. */
export const BASE_URLS: Record<OsteocomEnvironment, string> = {
  test: 'https://test.osteocom.me/sv6',
  production: 'https://www.osteocom.me/sv6',
};

export const ENDPOINTS = {
  login: 'contentLicensing_login',
  catalog: 'contentLicensing_catalog',
  contentAccessAuthorization: 'contentLicensing_contentAccessAuthorization',
  videoAccess: 'contentLicensing_videoAccess',
  revocateActivation: 'contentLicensing_revocateActivation',
} as const;

export type Endpoint = keyof typeof ENDPOINTS;

export const baseUrlFor = (environment: OsteocomEnvironment, override?: string) => (override ?? BASE_URLS[environment]).replace(/\/+$/, '');

export const endpointUrl = (baseUrl: string, endpoint: Endpoint) => `${baseUrl}/${ENDPOINTS[endpoint]}`;
