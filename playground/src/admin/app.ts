/** The playground's admin offers Italian too, so the plugin's translations can be seen. */
export default {
  config: { locales: ['it'] },
  bootstrap() {},
};
