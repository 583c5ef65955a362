import { Flex, Typography } from '@strapi/design-system';
import type { ReactNode } from 'react';

/** A label over its value. */
export const Detail = ({ label, children }: { label: string; children: ReactNode }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography variant="omega" textColor="neutral800" tag="div">
      {children}
    </Typography>
  </Flex>
);
