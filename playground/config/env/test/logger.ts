import { winston } from '@strapi/logger';

export default {
  transports: [new winston.transports.Console({ level: process.env.STRAPI_LOG_LEVEL ?? 'error' })],
};
