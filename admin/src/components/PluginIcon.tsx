import { Play } from '@strapi/icons';

const PluginIcon = () => <Play />;

export { PluginIcon };
