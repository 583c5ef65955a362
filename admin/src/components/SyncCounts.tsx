import { Flex, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SyncCounts as Counts } from '../types';

const KEYS = ['created', 'updated', 'unchanged', 'removed', 'restored'] as const;

/** The five counts of a sync run, each as a number over its label. */
export const SyncCounts = ({ counts, label }: { counts: Partial<Counts>; label?: string }) => {
  const t = useT();
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      {label ? (
        <Typography variant="sigma" textColor="neutral600">
          {label}
        </Typography>
      ) : null}
      <Flex gap={5} wrap="wrap">
        {KEYS.map((key) => (
          <Flex key={key} direction="column" alignItems="flex-start" data-testid={`count-${key}`}>
            <Typography variant="beta" tag="span">
              {counts[key] ?? 0}
            </Typography>
            <Typography variant="pi" textColor="neutral600">
              {t(`counts.${key}`)}
            </Typography>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
};
