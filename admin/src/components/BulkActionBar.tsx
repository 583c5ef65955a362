import { Button, Flex, Typography } from '@strapi/design-system';
import type { ReactNode } from 'react';
import { useT } from '../hooks/useT';

/** One action on the selection: adding one (pause, resume) is one entry in the page's list. */
export interface BulkAction {
  id: string;
  label: string;
  icon?: ReactNode;
  variant?: 'secondary' | 'danger-light';
  /** Runs on the selected rows; the bar clears the selection after. */
  run: () => void;
}

/** The bar over the member list while rows are selected. */
export const BulkActionBar = ({
  count,
  actions,
  onClear,
}: {
  count: number;
  actions: BulkAction[];
  onClear: () => void;
}) => {
  const t = useT();
  if (!count) return null;
  return (
    <Flex
      gap={2}
      alignItems="center"
      padding={2}
      background="primary100"
      hasRadius
      data-testid="bulk-bar"
    >
      <Typography fontWeight="semiBold">{t('members.selected', { count })}</Typography>
      {actions.map((action) => (
        <Button
          key={action.id}
          size="S"
          variant={action.variant ?? 'secondary'}
          startIcon={action.icon}
          onClick={action.run}
        >
          {action.label}
        </Button>
      ))}
      <Button size="S" variant="tertiary" onClick={onClear}>
        {t('members.clearSelection')}
      </Button>
    </Flex>
  );
};
