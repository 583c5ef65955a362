import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The test email provider (tests/helpers/email-recorder): Strapi lower-cases a provider name, so its path must be lower case. */
export const EMAIL_RECORDER = path.join(__dirname, 'email-recorder');

export interface RecordedEmail {
  from?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  pid: number;
}

/** A fresh file the recorder appends to; `read` parses what was sent so far. */
export const createMailbox = (failFor: string[] = []) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'osteocom-mail-')), 'sent.jsonl');
  fs.writeFileSync(file, '');
  return {
    file,
    /** The environment that configures the playground's email plugin with the recorder (playground/config/plugins.ts). */
    env: { PLAYGROUND_EMAIL_PROVIDER: EMAIL_RECORDER, PLAYGROUND_EMAIL_OPTIONS: JSON.stringify({ file, failFor }) },
    read: (): RecordedEmail[] =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedEmail),
    remove: () => fs.rmSync(path.dirname(file), { recursive: true, force: true }),
  };
};
