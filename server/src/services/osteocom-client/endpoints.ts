/** The five Osteocom endpoints: the only place in the plugin that builds Osteocom URLs. */
export const ENDPOINT_PATHS = {
  login: 'contentLicensing_login',
  catalog: 'contentLicensing_catalog',
  contentAccessAuthorization: 'contentLicensing_contentAccessAuthorization',
  videoAccess: 'contentLicensing_videoAccess',
  revocateActivation: 'contentLicensing_revocateActivation',
} as const;

export type Endpoint = keyof typeof ENDPOINT_PATHS;

/** Every endpoint but login authenticates with the bearer token. */
export type BearerEndpoint = Exclude<Endpoint, 'login'>;

export const endpointUrl = (baseUrl: string, endpoint: Endpoint): string =>
  `${baseUrl}/${ENDPOINT_PATHS[endpoint]}`;
