/**
 * CSV cells that a spreadsheet opens as text: written by every CSV the plugin makes (the import's
 * result file, the members export) and read back by the import, so an exported file imports unchanged.
 */

const FORMULA_START = /^[\s\u00a0]*[=+\-@]/;

/**
 * A cell as a spreadsheet may safely open it: line breaks become spaces (papaparse's formula check
 * stops at a newline, so "=1+1\n" or "\n=HYPERLINK(…)" would slip through), and a cell whose first
 * visible character starts a formula (= + - @) is prefixed with ' so it stays text.
 */
export const inertCell = (value: string) => {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return FORMULA_START.test(flat) ? `'${flat}` : flat;
};

/** The value `inertCell` was given (line breaks aside): the ' it put before a formula taken off. */
export const fromInertCell = (cell: string) => (cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell);
