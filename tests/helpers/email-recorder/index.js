'use strict';
/**
 * A Strapi email provider for tests (config/plugins.ts `email.config.provider` = this folder's
 * absolute path): each mail is appended as one JSON line to `providerOptions.file`, so a test, or
 * several server processes, read what was sent. A recipient in `providerOptions.failFor` makes
 * `send` throw, as an SMTP refusal would. Loopback only: nothing leaves the machine.
 */
const fs = require('node:fs');

module.exports = {
  init(providerOptions = {}, settings = {}) {
    const failFor = new Set(providerOptions.failFor || []);
    return {
      async send(options) {
        if (failFor.has(options.to)) throw new Error('550 mailbox unavailable (test provider)');
        const mail = { from: options.from || settings.defaultFrom, to: options.to, subject: options.subject, text: options.text, html: options.html, pid: process.pid };
        fs.appendFileSync(providerOptions.file, `${JSON.stringify(mail)}\n`);
      },
    };
  },
};
