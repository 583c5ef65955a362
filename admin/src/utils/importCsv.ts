/**
 * The Import page's CSV: parsed with papaparse, each row checked with the server's own row schema
 * (shared/contracts/bulk.ts) so the dry run finds exactly what the server would refuse, and each
 * problem named by the line of the file it is on. Pure functions, no React.
 */
import Papa from 'papaparse';
import {
  BULK_AUTHORIZE_COLUMNS,
  MAX_BULK_ROWS,
  checkBulkAuthorizeRow,
  type BulkAuthorizeResult,
  type BulkAuthorizeRowInput,
  type BulkValidateResult,
} from '../../../shared/contracts/bulk';
import { fromInertCell, inertCell } from '../../../shared/contracts/csv';

/** A file larger than this is split by the site owner: the browser holds every row and result. */
export const MAX_IMPORT_ROWS = 10_000;
/** Rows per request: small enough for a steady progress bar, far below the server's limit. */
export const CHUNK_ROWS = Math.min(100, MAX_BULK_ROWS);

const REQUIRED = ['userId', 'productId'] as const;
const KNOWN = new Set<string>(BULK_AUTHORIZE_COLUMNS);
/** Columns the members export adds: read past, so an exported file imports unchanged. */
const READ_PAST = new Set<string>(['status']);

export interface RowProblem {
  /** The column at fault, when one is. */
  column?: string;
  message: string;
  /** The code the server refuses such a row with, when known. */
  code?: string;
}

export interface ImportRow {
  /** Line of the file the row starts on (1 is the header). */
  line: number;
  row: BulkAuthorizeRowInput;
  problems: RowProblem[];
}

export interface ParsedImport {
  rows: ImportRow[];
  /** Problems of the whole file (header, size): nothing can be applied while there are any. */
  fileProblems: string[];
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'si', 'sì']);
const FALSE = new Set(['false', 'no', 'n', '0']);
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A cell as the JSON field it stands for: blank is omitted; consent and price are typed when they read as such. */
const valueOf = (column: string, text: string): unknown => {
  const value = fromInertCell(text.trim());
  if (value === '') return undefined;
  if (column === 'marketingConsent') {
    if (TRUE.has(value.toLowerCase())) return true;
    if (FALSE.has(value.toLowerCase())) return false;
  }
  if (column === 'price' && NUMBER.test(value)) return Number(value);
  return value;
};

/**
 * Line numbers (1-based) of the rows' first characters, counted as the parser moves on: a row
 * starts at the first character after the previous one's end that is not blank.
 */
const lineCounter = (text: string) => {
  let scanned = 0;
  let line = 1;
  return (offset: number) => {
    let start = offset;
    while (start < text.length && /\s/.test(text[start])) start += 1;
    for (; scanned < start; scanned += 1) if (text[scanned] === '\n') line += 1;
    return line;
  };
};

const rowOf = (header: string[], cells: string[]): BulkAuthorizeRowInput => {
  const row: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const value = index < cells.length ? valueOf(column, cells[index]) : undefined;
    if (value !== undefined && KNOWN.has(column)) row[column] = value;
  });
  return row as BulkAuthorizeRowInput;
};

const problemsOf = (row: BulkAuthorizeRowInput, header: string[], cells: string[], parseErrors: Papa.ParseError[]): RowProblem[] => {
  const problems: RowProblem[] = parseErrors.map((error) => ({ message: error.message }));
  if (cells.length !== header.length) problems.push({ message: `has ${cells.length} fields, the header ${header.length}` });
  // The server's own first checks (shared/contracts/bulk.ts): the shape, then the email's format.
  const checked = checkBulkAuthorizeRow(row);
  if (checked.ok) return problems;
  if (checked.code === 'INVALID_EMAIL') return [...problems, { column: 'email', message: 'is not a valid email address', code: 'INVALID_EMAIL' }];
  for (const issue of checked.error.issues) {
    const column = issue.path.map(String).join('.') || undefined;
    // The schema speaks JSON ("expected boolean"); a CSV cell is text.
    const message = column === 'marketingConsent' ? 'must be true or false (also yes/no, 1/0)' : issue.message.replace(/^Invalid input: /, '');
    problems.push({ column, message, code: 'VALIDATION_ERROR' });
  }
  return problems;
};

const headerProblems = (header: string[]) => {
  const problems: string[] = [];
  const missing = REQUIRED.filter((column) => !header.includes(column));
  if (missing.length) problems.push(`The header lacks the column(s) ${missing.join(', ')}.`);
  const unknown = header.filter((column) => !KNOWN.has(column) && !READ_PAST.has(column));
  if (unknown.length) problems.push(`Unknown column(s) ${unknown.join(', ')}: the columns are ${BULK_AUTHORIZE_COLUMNS.join(', ')}.`);
  const repeated = header.filter((column, index) => header.indexOf(column) !== index);
  if (repeated.length) problems.push(`Repeated column(s) ${[...new Set(repeated)].join(', ')}.`);
  return problems;
};

/** The dry run: every row with its line and problems, nothing sent. `,` or `;` separated, a header row first. */
export const parseImportCsv = (text: string): ParsedImport => {
  let header: string[] | undefined;
  let cursor = 0;
  const lineAt = lineCounter(text);
  const rows: ImportRow[] = [];
  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', ';'],
    skipEmptyLines: 'greedy',
    step: ({ data, errors, meta }) => {
      const line = lineAt(cursor);
      cursor = meta.cursor;
      if (!header) {
        header = data.map((column) => column.trim());
        return;
      }
      const row = rowOf(header, data);
      rows.push({ line, row, problems: problemsOf(row, header, data, errors) });
    },
  });
  if (!header) return { rows, fileProblems: ['The file is empty: it needs a header row and at least one row.'] };
  const fileProblems = headerProblems(header);
  if (!rows.length) fileProblems.push('The file has a header but no rows.');
  if (rows.length > MAX_IMPORT_ROWS) fileProblems.push(`The file has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} can be imported at once.`);
  return { rows, fileProblems };
};

/**
 * The rows to send, in requests of at most CHUNK_ROWS rows that keep each customer's rows
 * together (the server sends them to Osteocom in one call).
 */
export const chunksOf = (rows: ImportRow[], size = CHUNK_ROWS): ImportRow[][] => {
  const customers = new Map<string, ImportRow[]>();
  for (const row of rows) {
    const key = String(row.row.userId);
    customers.set(key, customers.get(key) ?? []);
    customers.get(key)!.push(row);
  }
  const chunks: ImportRow[][] = [];
  let current: ImportRow[] = [];
  for (const group of customers.values()) {
    if (current.length && current.length + group.length > size) {
      chunks.push(current);
      current = [];
    }
    for (const row of group) {
      if (current.length === MAX_BULK_ROWS) {
        chunks.push(current);
        current = [];
      }
      current.push(row);
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
};

export interface ImportResult {
  line: number;
  userId: string;
  productId: string;
  outcome: BulkAuthorizeResult['outcome'];
  code: string;
  message: string;
}

/** Columns a server refusal is about, to show it where the file's own problems are shown. */
const COLUMN_OF: Record<string, string> = { INVALID_EMAIL: 'email', EMAIL_REQUIRED: 'email', UNKNOWN_CHANNEL: 'productId' };

/** The server's dry-run verdict on a row the browser found no problem with: its problem, if refused. */
export const withServerVerdict = (row: ImportRow, verdict: BulkValidateResult | undefined): ImportRow => {
  if (!verdict || verdict.outcome === 'ready') return row;
  const code = verdict.code ?? 'VALIDATION_ERROR';
  return { ...row, problems: [...row.problems, { column: COLUMN_OF[code], message: verdict.message ?? code, code }] };
};

/** The file to start from: the import's columns and one example row. */
export const templateCsv = () =>
  `${BULK_AUTHORIZE_COLUMNS.join(',')}\r\ncustomer-1,ann@example.com,Ann,Rossi,false,your-channel-id-or-slug,,2027-12-31T23:59:59Z\r\n`;

/** A row the dry run refused: never sent, refused with the code the server gives such a row. */
export const refusedLocally = ({ line, row, problems }: ImportRow): ImportResult => ({
  line,
  userId: String(row.userId ?? ''),
  productId: String(row.productId ?? ''),
  outcome: 'refused',
  code: problems.find((problem) => problem.code)?.code ?? 'VALIDATION_ERROR',
  message: problems.map((problem) => (problem.column ? `${problem.column}: ${problem.message}` : problem.message)).join('; '),
});

export const resultOf = ({ line, row }: ImportRow, result: BulkAuthorizeResult): ImportResult => ({
  line,
  userId: String(row.userId ?? ''),
  productId: String(row.productId ?? ''),
  outcome: result.outcome,
  code: result.code ?? '',
  message: result.message ?? '',
});

/** The downloadable result file, one line per row of the import, by line. */
export const resultsCsv = (results: ImportResult[]) =>
  Papa.unparse(
    [...results]
      .sort((a, b) => a.line - b.line)
      .map((result) => ({ ...result, userId: inertCell(result.userId), productId: inertCell(result.productId), code: inertCell(result.code), message: inertCell(result.message) })),
    // papaparse's own check too: a cell starting with a tab or CR is quoted as text as well.
    { columns: ['line', 'userId', 'productId', 'outcome', 'code', 'message'], escapeFormulae: true }
  );
