import { DEFAULT_REMINDER_TEMPLATES, DIGEST_TEMPLATES, REMINDER_LOCALES, fillPlaceholders, unknownPlaceholders } from '../../../shared/contracts/reminders';
import { settingsUpdateSchema } from '../../../shared/contracts/settings';

describe('reminder templates', () => {
  it('fills known placeholders, spaces inside the braces allowed, and leaves others as written', () => {
    expect(fillPlaceholders('Hi {{name}}, {{ channel }} ends {{accessUntil}} {{unknown}}', { name: 'Luca', channel: 'Spine', accessUntil: '20 Dec' })).toBe(
      'Hi Luca, Spine ends 20 Dec {{unknown}}'
    );
    // A value is inserted as text, never read as a template again.
    expect(fillPlaceholders('{{name}}', { name: '{{siteName}} $& $1' })).toBe('{{siteName}} $& $1');
  });

  it('names the placeholders that do not exist; the contract refuses a template that uses one', () => {
    expect(unknownPlaceholders('{{name}} {{email}} {{ accessKey }}')).toEqual(['email', 'accessKey']);
    expect(settingsUpdateSchema.safeParse({ reminderBody: 'Dear {{name}}' }).success).toBe(true);
    expect(settingsUpdateSchema.safeParse({ reminderBody: 'Dear {{email}}' }).success).toBe(false);
  });

  it('ships a default template in every language that uses only known placeholders', () => {
    for (const locale of REMINDER_LOCALES) {
      const { subject, body } = DEFAULT_REMINDER_TEMPLATES[locale];
      expect([locale, unknownPlaceholders(`${subject} ${body}`)]).toEqual([locale, []]);
      expect(settingsUpdateSchema.safeParse({ reminderSubject: subject, reminderBody: body }).success).toBe(true);
      expect(DIGEST_TEMPLATES[locale].line).toContain('{{userId}}');
    }
  });
});
