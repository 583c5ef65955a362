import { Box, Flex, Typography } from '@strapi/design-system';
import type { ReactNode } from 'react';

/** A white card with a title, as Strapi's own settings pages use. */
export const Panel = ({
  title,
  action,
  children,
}: {
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) => (
  <Box
    background="neutral0"
    hasRadius
    shadow="tableShadow"
    paddingTop={6}
    paddingBottom={6}
    paddingLeft={7}
    paddingRight={7}
    height="100%"
  >
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" gap={2}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {action}
      </Flex>
      {children}
    </Flex>
  </Box>
);
