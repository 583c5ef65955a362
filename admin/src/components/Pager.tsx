import { Button, Flex, Typography } from '@strapi/design-system';
import { ChevronLeft, ChevronRight } from '@strapi/icons';
import { useT } from '../hooks/useT';
import type { Pagination } from '../types';

/** Previous / next with "Page 2 of 5 · 112 entries". */
export const Pager = ({
  pagination,
  onPageChange,
}: {
  pagination?: Pagination;
  onPageChange: (page: number) => void;
}) => {
  const t = useT();
  if (!pagination) return null;
  const { page, pageCount, total } = pagination;
  return (
    <Flex justifyContent="space-between" paddingTop={4} gap={2}>
      <Typography variant="pi" textColor="neutral600">
        {t('pager.summary', { page, pageCount: Math.max(pageCount, 1), total })}
      </Typography>
      <Flex gap={2}>
        <Button
          variant="tertiary"
          size="S"
          startIcon={<ChevronLeft />}
          disabled={page <= 1}
          onClick={() => onPageChange(page - 1)}
        >
          {t('pager.previous')}
        </Button>
        <Button
          variant="tertiary"
          size="S"
          endIcon={<ChevronRight />}
          disabled={page >= pageCount}
          onClick={() => onPageChange(page + 1)}
        >
          {t('pager.next')}
        </Button>
      </Flex>
    </Flex>
  );
};
