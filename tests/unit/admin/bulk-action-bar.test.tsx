import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BulkActionBar, type BulkAction } from '../../../admin/src/components/BulkActionBar';
import { renderWithProviders } from './render';

describe('BulkActionBar', () => {
  it('shows nothing without a selection', () => {
    renderWithProviders(<BulkActionBar count={0} actions={[]} onClear={() => {}} />);
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
  });

  it('offers each action of its list (adding pause is one entry) and clears', async () => {
    const ran: string[] = [];
    const actions: BulkAction[] = ['extend', 'revoke', 'resend', 'pause'].map((id) => ({ id, label: `do ${id}`, run: () => ran.push(id) }));
    const cleared = jest.fn();
    renderWithProviders(<BulkActionBar count={3} actions={actions} onClear={cleared} />);
    expect(screen.getByText('3 selected')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'do pause' }));
    await userEvent.click(screen.getByRole('button', { name: 'do extend' }));
    expect(ran).toEqual(['pause', 'extend']);
    await userEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(cleared).toHaveBeenCalled();
  });
});
