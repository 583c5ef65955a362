import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import type { Member } from '../../../shared/contracts/members';
import { AuthorizeForm } from '../../../admin/src/components/AuthorizeForm';
import { ChannelsTable } from '../../../admin/src/components/ChannelsTable';
import { MembersTable } from '../../../admin/src/components/MembersTable';
import { ReminderNote } from '../../../admin/src/components/ReminderNote';
import type { Channel, Entitlement } from '../../../admin/src/types';
import { renderWithProviders } from './render';

/**
 * Prices are stored in the currency's smallest unit (setting `currency`): each admin table shows
 * them as money in the site's currency, written the admin's language's way. Intl separates the
 * amount from the sign with a no-break space in some languages: compared as plain spaces.
 */
const plain = (text: string | null) => (text ?? '').replace(/\s/g, ' ');

const channel = (over: Partial<Channel>): Channel => ({
  id: 1,
  documentId: 'doc-1',
  idChannel: 'ch-knee',
  title: 'Knee Arthroscopy',
  subtitle: null,
  htmlDescription: null,
  price: 1250,
  cover: null,
  background: null,
  trailer: null,
  authors: null,
  status: 'available',
  videoCount: 3,
  lastSyncedAt: null,
  ...over,
});

const priceCells = () =>
  screen
    .getAllByTestId('channel-row')
    .map((row) => plain(within(row).getAllByRole('gridcell')[2].textContent));

const catalog = (currency: string | undefined, locale: string) =>
  renderWithProviders(
    <ChannelsTable
      channels={[channel({}), channel({ id: 2, idChannel: 'ch-hip', title: 'Hip', price: null })]}
      currency={currency}
      onShowVideos={() => undefined}
    />,
    { locale }
  );

describe('prices in the site currency', () => {
  it('shows the catalog price as euros in Italian: 1250 is "12,50 €"; no price is a dash', () => {
    catalog('EUR', 'it');
    expect(priceCells()).toEqual(['12,50 €', '–']);
  });

  it('shows it in English as "€12.50", and as "$12.50" when the site sells in dollars', () => {
    const { unmount } = catalog('EUR', 'en');
    expect(priceCells()).toEqual(['€12.50', '–']);
    unmount();
    catalog('USD', 'en');
    expect(priceCells()).toEqual(['$12.50', '–']);
  });

  it('shows no number while the currency is loading, rather than one in a wrong currency', () => {
    catalog(undefined, 'en');
    expect(priceCells()).toEqual(['…', '–']);
  });

  it('shows each member’s price in the member list', () => {
    const member: Member = {
      userId: 'u1',
      email: 'ann@example.com',
      name: 'Ann',
      surname: 'Rossi',
      channelId: 'ch-knee',
      channelTitle: 'Knee Arthroscopy',
      status: 'active',
      price: 9900,
      accessUntil: null,
      revokeReason: null,
      pendingOperation: null,
      updatedAt: '2026-11-30T08:00:00.000Z',
    };
    renderWithProviders(
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <MembersTable
          rows={[member]}
          currency="USD"
          selected={new Set()}
          onSelect={() => undefined}
        />
      </MemoryRouter>
    );
    const [head, row] = screen
      .getAllByRole('row')
      .map((each) => Array.from(each.children, (cell) => plain(cell.textContent)));
    expect(row[head.indexOf('Price')]).toBe('$99.00');
  });

  it('names the currency at the price input, shows what was typed as money, and sends the smallest unit as typed', async () => {
    const onSubmit = jest.fn();
    const user = userEvent.setup();
    renderWithProviders(
      <AuthorizeForm
        channels={[{ idChannel: 'ch-knee', title: 'Knee Arthroscopy', price: 1250 }]}
        currency="USD"
        initialValues={{ userId: 'u1', products: [{ productId: 'ch-knee', price: '1250' }] }}
        onSubmit={onSubmit}
      />
    );
    const input = screen.getByRole('textbox', { name: 'Price of “Knee Arthroscopy”' });
    const hint = () => plain(screen.getByText(/^In the smallest unit of USD/).textContent);
    expect(hint()).toBe('In the smallest unit of USD (e.g. cents): $12.50');
    await user.clear(input);
    await user.type(input, '1999');
    expect(hint()).toBe('In the smallest unit of USD (e.g. cents): $19.99');
    await user.click(screen.getByRole('button', { name: 'Authorize' }));
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        userId: 'u1',
        products: [{ productId: 'ch-knee', price: 1999 }],
      })
    );
  });
});

describe('the reminder of an access, in words', () => {
  const reminded = (outcome: Entitlement['reminderOutcome']) =>
    renderWithProviders(
      <ReminderNote
        entitlement={{ remindedFor: '2026-12-20T23:59:59.000Z', reminderOutcome: outcome }}
      />
    );

  it.each([
    ['sent', /^Reminder emailed for the end on Dec 2[01], 2026, \d+:59 [AP]M\.$/],
    ['no-email', /^Reminder for the end on Dec 2[01], 2026, .+ not sent: no email address\.$/],
    [
      'failed',
      /^Reminder for the end on .+ not sent: the email failed \(it is not sent again\)\.$/,
    ],
    [
      'email-off',
      /^Reminder for the end on .+ announced as an event only: no email provider is configured\.$/,
    ],
    [
      'claimed',
      /^Reminder for the end on .+ being sent \(not sent again if it was interrupted\)\.$/,
    ],
  ] as const)('%s', (outcome, text) => {
    reminded(outcome);
    expect(plain(screen.getByTestId('reminder-outcome').textContent)).toMatch(text);
  });

  it('says nothing before any reminder', () => {
    const { container } = renderWithProviders(
      <ReminderNote entitlement={{ remindedFor: null, reminderOutcome: null }} />
    );
    expect(container.textContent).toBe('');
  });
});
