import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WebhookSubscription } from '../../../admin/src/components/WebhookSubscription';
import { OSTEOCOM_EVENTS } from '../../../shared/contracts/webhook-events';
import type { WebhookSubscription as Subscription } from '../../../admin/src/types';
import { renderWithProviders } from './render';

const webhook: Subscription = { id: '3', name: 'crm', url: 'https://crm.example.com/hook', isEnabled: true, events: ['osteocom.access.granted'] };

const setup = (canUpdate = true) => {
  const onSave = jest.fn();
  const user = userEvent.setup();
  renderWithProviders(<WebhookSubscription webhook={webhook} events={[...OSTEOCOM_EVENTS]} canUpdate={canUpdate} saving={false} onSave={onSave} />);
  return { onSave, user };
};

const box = (event: string) => screen.getByRole('checkbox', { name: event });
const checked = (event: string) => box(event).getAttribute('aria-checked') === 'true';
const save = () => screen.getByRole('button', { name: 'Save' });

/** Settings → Webhook events: one webhook's plugin events, ticked and saved. */
describe('webhook subscription', () => {
  it('shows the events the webhook receives, and saves the ticked ones in the listed order', async () => {
    const { onSave, user } = setup();
    expect(checked('osteocom.access.granted')).toBe(true);
    expect(checked('osteocom.catalog.synced')).toBe(false);
    expect(save().hasAttribute('disabled')).toBe(true);

    await user.click(box('osteocom.catalog.synced'));
    await user.click(box('osteocom.access.granted'));
    await user.click(box('osteocom.channel.updated'));
    await user.click(save());
    expect(onSave).toHaveBeenCalledWith(['osteocom.catalog.synced', 'osteocom.channel.updated']);
  });

  it('is read-only without the settings update permission', () => {
    setup(false);
    expect(box('osteocom.catalog.synced').hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });
});
