import { Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';

/** A column's label: shown, or `{ hidden }` for screen readers only (a cover, a column of buttons). */
export type Column = string | { hidden: string };

const keyOf = (column: Column) => (typeof column === 'string' ? column : column.hidden);

/** A table's header row, one label per column, as every table of the plugin draws it. */
export const TableHeader = ({ columns }: { columns: Column[] }) => (
  <Thead>
    <Tr>
      {columns.map((column) => (
        <Th key={keyOf(column)}>
          {typeof column === 'string' ? (
            <Typography variant="sigma">{column}</Typography>
          ) : (
            <VisuallyHidden>{column.hidden}</VisuallyHidden>
          )}
        </Th>
      ))}
    </Tr>
  </Thead>
);
