/** Type declarations for admin-only module shapes; @strapi/design-system and @strapi/icons ship their own types. */
export {};
