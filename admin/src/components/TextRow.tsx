import { Td, Tr, Typography } from '@strapi/design-system';
import type { ComponentProps, ReactNode } from 'react';

/** A table row of plain text cells, in order; other props (a test id) go to the row. */
export const TextRow = ({ cells, ...row }: { cells: ReactNode[] } & ComponentProps<typeof Tr>) => (
  <Tr {...row}>
    {cells.map((cell, index) => (
      <Td key={index}>
        <Typography>{cell}</Typography>
      </Td>
    ))}
  </Tr>
);
