import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AuthorizeForm,
  type AuthorizeFormProps,
} from '../../../admin/src/components/AuthorizeForm';
import type { ChannelOption, SiteUser } from '../../../admin/src/types';
import { renderWithProviders } from './render';

const channels: ChannelOption[] = [
  { idChannel: 'ch-knee', title: 'Knee Arthroscopy', price: 120 },
  { idChannel: 'ch-hip', title: 'Hip Arthroplasty', price: 90 },
];

const setup = (props: Partial<AuthorizeFormProps> = {}) => {
  const onSubmit = jest.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <AuthorizeForm channels={channels} onSubmit={onSubmit} onCancel={() => undefined} {...props} />
  );
  return { onSubmit, user };
};

const field = (label: RegExp) => screen.getByRole('textbox', { name: label });
const submit = () => screen.getByRole('button', { name: 'Authorize' });

/** Opens the channels multi-select and picks options by title. */
const pickChannels = async (user: ReturnType<typeof userEvent.setup>, ...titles: string[]) => {
  await user.click(screen.getByRole('combobox', { name: /Channels/ }));
  for (const title of titles) await user.click(await screen.findByRole('option', { name: title }));
  await user.keyboard('{Escape}');
};

describe('AuthorizeForm', () => {
  it('shows the required-field errors and does not submit an empty form', async () => {
    const { onSubmit, user } = setup();
    await user.click(submit());
    expect(await screen.findByText('The user id is required.')).toBeTruthy();
    expect(screen.getByText('Choose at least one channel.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('requires an email when the Osteocom account does, with or without consent, and checks its format', async () => {
    const { onSubmit, user } = setup({
      emailRequired: true,
      initialValues: { userId: 'u1', products: [{ productId: 'ch-knee', price: '120' }] },
    });
    expect(
      screen.getByText('Required: the Osteocom account asks for every customer’s email.')
    ).toBeTruthy();
    await user.click(submit());
    expect(
      await screen.findByText('This Osteocom account requires an email address for every customer.')
    ).toBeTruthy();
    await user.type(field(/Email/), 'ann@example');
    expect(await screen.findByText('This is not a valid email address.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.type(field(/Email/), '.com');
    await user.click(submit());
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        userId: 'u1',
        email: 'ann@example.com',
        products: [{ productId: 'ch-knee', price: 120 }],
      })
    );
  });

  it('does not require an email for the customer’s consent when the account does not', async () => {
    const { onSubmit, user } = setup({
      emailRequired: false,
      initialValues: { userId: 'u1', products: [{ productId: 'ch-knee', price: '120' }] },
    });
    expect(screen.getByText('Optional for this Osteocom account.')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: /marketing/ }));
    await user.click(submit());
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        userId: 'u1',
        marketingConsent: true,
        products: [{ productId: 'ch-knee', price: 120 }],
      })
    );
  });

  it('leaves the email to the server when the account’s rule is unknown (no settings.read)', async () => {
    const { onSubmit, user } = setup({
      initialValues: { userId: 'u1', products: [{ productId: 'ch-knee', price: '120' }] },
    });
    expect(screen.getByText(/Osteocom says so if it is missing/)).toBeTruthy();
    await user.click(submit());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
  });

  it('withdraws a given consent only when the editor unticks it', async () => {
    const { onSubmit, user } = setup({
      initialValues: {
        userId: 'u1',
        marketingConsent: true,
        products: [{ productId: 'ch-knee', price: '120' }],
      },
    });
    await user.click(screen.getByRole('checkbox', { name: /marketing/ }));
    await user.click(submit());
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ marketingConsent: false }))
    );
  });

  it('prefills catalog prices, rejects a non-integer price, and submits the edited price', async () => {
    const { onSubmit, user } = setup();
    await user.type(field(/User id/), 'free-typed-id');
    await pickChannels(user, 'Knee Arthroscopy', 'Hip Arthroplasty');
    const kneePrice = field(/Price of “Knee Arthroscopy”/) as HTMLInputElement;
    expect(kneePrice.value).toBe('120');
    expect((field(/Price of “Hip Arthroplasty”/) as HTMLInputElement).value).toBe('90');

    await user.clear(kneePrice);
    await user.type(kneePrice, '99.5');
    await user.click(submit());
    expect(await screen.findByText('The price must be a whole number, 0 or more.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.clear(kneePrice);
    await user.type(kneePrice, '100');
    await user.click(submit());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({
      userId: 'free-typed-id',
      products: [
        { productId: 'ch-knee', price: 100 },
        { productId: 'ch-hip', price: 90 },
      ],
    });
  });

  it('offers an optional end of access per channel: a typed date is sent as ISO 8601, clearing it makes the access permanent', async () => {
    const { onSubmit, user } = setup({
      initialValues: { userId: 'u1', products: [{ productId: 'ch-knee', price: '120' }] },
    });
    expect(screen.getByText('Access to “Knee Arthroscopy” until')).toBeTruthy();
    const date = screen.getByRole('combobox', { name: 'Date access to “Knee Arthroscopy” ends' });
    await user.type(date, '12/31/2030');
    await user.keyboard('{Enter}');
    await user.click(submit());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const [body] = onSubmit.mock.calls[0];
    expect(body.products).toEqual([
      {
        productId: 'ch-knee',
        price: 120,
        accessUntil: expect.stringMatching(/^2030-12-3[01]T|^2031-01-01T/),
      },
    ]);
    expect(new Date(body.products[0].accessUntil).toISOString()).toBe(body.products[0].accessUntil);

    await user.click(screen.getByRole('button', { name: 'Clear the end of access date' }));
    await user.click(submit());
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1][0].products).toEqual([{ productId: 'ch-knee', price: 120 }]);
  });

  it('removes a picked channel', async () => {
    const { user } = setup({
      initialValues: { userId: 'u1', products: [{ productId: 'ch-knee', price: '120' }] },
    });
    await user.click(screen.getByRole('button', { name: 'Remove Knee Arthroscopy' }));
    expect(screen.queryByRole('textbox', { name: /Price of/ })).toBeNull();
  });

  it('offers matching site users and uses the picked one’s documentId (and email) as the customer', async () => {
    const site: SiteUser[] = [
      { id: 7, documentId: 'doc-ann-7', username: 'ann', email: 'ann@example.com' },
    ];
    const searchUsers = jest.fn(async (q: string) => site.filter((u) => u.username?.startsWith(q)));
    const { onSubmit, user } = setup({
      searchUsers,
      initialValues: { products: [{ productId: 'ch-hip', price: '90' }] },
    });
    await user.type(field(/User id/), 'an');
    const list = await screen.findByRole('list', { name: 'Site users' });
    await user.click(within(list).getByRole('button', { name: /ann/ }));
    expect((field(/User id/) as HTMLInputElement).value).toBe('doc-ann-7');
    expect((field(/Email/) as HTMLInputElement).value).toBe('ann@example.com');
    expect(searchUsers).toHaveBeenCalledWith('an');
    await user.click(submit());
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        userId: 'doc-ann-7',
        email: 'ann@example.com',
        products: [{ productId: 'ch-hip', price: 90 }],
      })
    );
  });

  it('shows the server’s message for a rejected request', () => {
    setup({
      serverError: 'These products are not available channels of the synced catalog: ch-x.',
    });
    expect(screen.getByText('The authorization was refused')).toBeTruthy();
    expect(screen.getByText(/not available channels/)).toBeTruthy();
  });
});
