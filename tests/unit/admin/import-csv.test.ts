/**
 * The Import page's CSV → rows parser: line numbers as the file counts them (blank lines, quoted
 * line breaks, a BOM), `,` and `;`, typed cells, and problems found by the server's own row schema.
 */
import Papa from 'papaparse';
import { bulkAuthorizeRowSchema } from '../../../shared/contracts/bulk';
import { CHUNK_ROWS, MAX_IMPORT_ROWS, chunksOf, parseImportCsv, refusedLocally, resultOf, resultsCsv } from '../../../admin/src/utils/importCsv';

const HEADER = 'userId,email,name,surname,marketingConsent,productId,price,accessUntil';
const FUTURE = '2099-12-31T23:59:59Z';

const problemLines = (text: string) => parseImportCsv(text).rows.filter((row) => row.problems.length).map((row) => row.line);

describe('parseImportCsv', () => {
  it('types the cells: blank is omitted, consent a boolean, price a number', () => {
    const { rows, fileProblems } = parseImportCsv(`${HEADER}\nu1,ann@example.com,Ann,Lee,yes,c1,100,${FUTURE}\nu2,,,,false,c2,,\n`);
    expect(fileProblems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, row: { userId: 'u1', email: 'ann@example.com', name: 'Ann', surname: 'Lee', marketingConsent: true, productId: 'c1', price: 100, accessUntil: FUTURE }, problems: [] },
      { line: 3, row: { userId: 'u2', marketingConsent: false, productId: 'c2' }, problems: [] },
    ]);
    for (const { row } of rows) expect(bulkAuthorizeRowSchema.safeParse(row).success).toBe(true);
  });

  it('reads `;` files, a UTF-8 BOM and CRLF line ends', () => {
    const { rows, fileProblems } = parseImportCsv(`\uFEFF${HEADER.replaceAll(',', ';')}\r\nu1;;Zoë;;;c1;5;\r\n`);
    expect(fileProblems).toEqual([]);
    expect(rows).toEqual([{ line: 2, row: { userId: 'u1', name: 'Zoë', productId: 'c1', price: 5 }, problems: [] }]);
  });

  it('names every problem by the line of the file it is on, blank lines and quoted line breaks counted', () => {
    const text = [
      HEADER, // 1
      'u1,ann@example.com,Ann,,true,c1,10,', // 2 fine
      '', // 3 blank
      'u2,not-an-email,,,,c1,,', // 4 bad email: the server's own row check (checkBulkAuthorizeRow) refuses it INVALID_EMAIL
      'u3,,"Two', // 5 a quoted line break…
      'lines",,,c1,-5,', // 6 …so this is still line 5's row: a name with a line break, a negative price
      'u4,,,,maybe,c1,1.5,2020-01-01T00:00:00Z', // 7 consent, price and a past date
      ',,,,,c1,,', // 8 no userId
      'u5,,,,,c1,,,extra', // 9 one field too many
      'u6,,,,,Course: Part 1,,', // 10 a channel by title: the server resolves it (dry run endpoint)
    ].join('\n');
    const { rows } = parseImportCsv(text);
    expect(rows.map((row) => row.line)).toEqual([2, 4, 5, 7, 8, 9, 10]);
    expect(rows.find((row) => row.line === 5)!.row.name).toBe('Two\nlines');
    expect(problemLines(text)).toEqual([4, 5, 7, 8, 9]);
    expect(rows.find((row) => row.line === 4)!.problems).toEqual([{ column: 'email', message: 'is not a valid email address', code: 'INVALID_EMAIL' }]);
    const columns = (line: number) => rows.find((row) => row.line === line)!.problems.map((problem) => problem.column);
    expect(columns(5)).toEqual(['name', 'price']);
    expect(columns(7).sort()).toEqual(['accessUntil', 'marketingConsent', 'price']);
    expect(rows.find((row) => row.line === 7)!.problems.find((problem) => problem.column === 'marketingConsent')!.message).toBe('must be true or false (also yes/no, 1/0)');
    expect(columns(8)).toEqual(['userId']);
    expect(rows.find((row) => row.line === 9)!.problems.map((problem) => problem.message)).toEqual(['has 9 fields, the header 8']);
    expect(columns(10)).toEqual([]);
  });

  it('refuses a file whose header lacks or repeats columns, or names unknown ones', () => {
    expect(parseImportCsv('email,name\nann@example.com,Ann\n').fileProblems).toEqual([expect.stringContaining('userId, productId')]);
    expect(parseImportCsv('userId,productId,isAdmin\nu1,c1,true\n').fileProblems).toEqual([expect.stringContaining('isAdmin')]);
    expect(parseImportCsv('userId,productId,productId\nu1,c1,c2\n').fileProblems).toEqual([expect.stringContaining('Repeated column(s) productId')]);
    expect(parseImportCsv('').fileProblems).toEqual([expect.stringContaining('empty')]);
    expect(parseImportCsv(`${HEADER}\n`).fileProblems).toEqual([expect.stringContaining('no rows')]);
  });

  it('refuses a file with more rows than can be imported at once', () => {
    const text = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `u${i},,,,,c1,,`)].join('\n');
    expect(parseImportCsv(text).fileProblems).toEqual([expect.stringContaining(`at most ${MAX_IMPORT_ROWS}`)]);
  });
});

describe('chunksOf', () => {
  it('keeps each customer’s rows in one request, requests of at most CHUNK_ROWS rows', () => {
    const lines = Array.from({ length: 250 }, (_, i) => `u${i % 70},,,,,c${i},,`);
    const { rows } = parseImportCsv([HEADER, ...lines].join('\n'));
    const chunks = chunksOf(rows);
    expect(chunks.flat()).toHaveLength(250);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(CHUNK_ROWS);
    const chunkOf = new Map<unknown, number>();
    chunks.forEach((chunk, index) =>
      chunk.forEach((row) => {
        expect(chunkOf.get(row.row.userId) ?? index).toBe(index);
        chunkOf.set(row.row.userId, index);
      })
    );
  });
});

describe('resultsCsv', () => {
  it('lists every row by line with its outcome and code, formula-looking cells quoted as text', () => {
    const { rows } = parseImportCsv(`${HEADER}\n=cmd|x,,,,,c1,,\nu2,,,,,c1,-1,\nu3,,,,,c2,,\n`);
    const csv = resultsCsv([
      resultOf(rows[2], { row: 1, outcome: 'pending' }),
      refusedLocally(rows[1]),
      resultOf(rows[0], { row: 0, outcome: 'refused', code: 'UPSTREAM_REJECTED', message: 'Refused' }),
    ]);
    const parsed = Papa.parse<string[]>(csv.trim()).data;
    expect(parsed[0]).toEqual(['line', 'userId', 'productId', 'outcome', 'code', 'message']);
    expect(parsed.slice(1).map((cells) => cells.slice(0, 5))).toEqual([
      ['2', "'=cmd|x", 'c1', 'refused', 'UPSTREAM_REJECTED'],
      ['3', 'u2', 'c1', 'refused', 'VALIDATION_ERROR'],
      ['4', 'u3', 'c2', 'pending', ''],
    ]);
    expect(parsed[2][5]).toMatch(/^price: /);
  });

  it('leaves no formula behind a line break: CR/LF become spaces and the cell is quoted as text', () => {
    const result = (userId: string, message: string) => ({ line: 2, userId, productId: 'c1', outcome: 'refused' as const, code: 'UPSTREAM_REJECTED', message });
    const csv = resultsCsv([result('\n=HYPERLINK("http://x.example","y")', '=1+1\n'), { ...result('\r\n +SUM(A1)', 'said\r\n@cmd'), line: 3 }]);
    const parsed = Papa.parse<string[]>(csv.trim()).data;
    expect(parsed).toHaveLength(3);
    expect(parsed.slice(1).map((cells) => [cells[1], cells[5]])).toEqual([
      [`' =HYPERLINK("http://x.example","y")`, "'=1+1 "],
      ["'  +SUM(A1)", 'said @cmd'],
    ]);
    for (const cells of parsed.slice(1)) for (const cell of cells) expect(cell).not.toMatch(/^[\s]*[=+\-@]|[\r\n]/);
  });
});

describe('a members export read back', () => {
  it("reads past the export's status column and takes off the ' that made a formula inert", () => {
    const { rows, fileProblems } = parseImportCsv(`${HEADER},status\nu1,,"'=HYPERLINK(""x"")",'+1,,c1,5,,active\nu2,,'ok,,,c1,,,revoked\n`);
    expect(fileProblems).toEqual([]);
    expect(rows.map((row) => [row.row, row.problems])).toEqual([
      [{ userId: 'u1', name: '=HYPERLINK("x")', surname: '+1', productId: 'c1', price: 5 }, []],
      [{ userId: 'u2', name: "'ok", productId: 'c1' }, []],
    ]);
  });
});
