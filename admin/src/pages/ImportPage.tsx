import {
  Alert,
  Badge,
  Box,
  Button,
  Flex,
  ProgressBar,
  Table,
  Tbody,
  Td,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Download, Upload } from '@strapi/icons';
import { Page } from '@strapi/strapi/admin';
import { useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import { MAX_BULK_ROWS } from '../../../shared/contracts/bulk';
import { useBulkAuthorize, useBulkValidate } from '../api/bulk';
import { apiErrorOf } from '../api/errors';
import { Panel } from '../components/Panel';
import { TextRow } from '../components/TextRow';
import { useT } from '../hooks/useT';
import { PERMISSIONS } from '../permissions';
import {
  chunksOf,
  parseImportCsv,
  refusedLocally,
  resultOf,
  resultsCsv,
  templateCsv,
  withServerVerdict,
  type ImportResult,
  type ImportRow,
  type ParsedImport,
} from '../utils/importCsv';
import { TableHeader } from '../components/TableHeader';
import { saveFile } from '../utils/saveFile';

/** Problems listed on the page; the count says how many more there are. */
const SHOWN_PROBLEMS = 500;
const FILE_INPUT_ID = 'osteocom-import-file';

const DryRun = ({ parsed }: { parsed: ParsedImport }) => {
  const t = useT();
  const problems = parsed.rows.flatMap((row) =>
    row.problems.map((problem) => ({ line: row.line, ...problem }))
  );
  const invalid = parsed.rows.filter((row) => row.problems.length).length;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {parsed.fileProblems.length > 0 && (
        <Alert variant="danger" title={t('import.fileProblems')} closeLabel={t('action.close')}>
          {parsed.fileProblems.join(' ')}
        </Alert>
      )}
      <Typography tag="p" data-testid="import-summary">
        {t('import.summary', {
          total: parsed.rows.length,
          valid: parsed.rows.length - invalid,
          invalid,
        })}
      </Typography>
      {problems.length > 0 && (
        <Table
          colCount={3}
          rowCount={Math.min(problems.length, SHOWN_PROBLEMS) + 1}
          aria-label={t('import.problems')}
        >
          <TableHeader columns={[t('import.line'), t('import.column'), t('import.problem')]} />
          <Tbody>
            {problems.slice(0, SHOWN_PROBLEMS).map((problem, index) => (
              <Tr key={index} data-testid="import-problem">
                <Td>
                  <Typography>{problem.line}</Typography>
                </Td>
                <Td>
                  <Typography>{problem.column ?? '—'}</Typography>
                </Td>
                <Td>
                  <Typography>{problem.message}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {problems.length > SHOWN_PROBLEMS && (
        <Typography variant="pi" textColor="neutral600">
          {t('import.moreProblems', { count: problems.length - SHOWN_PROBLEMS })}
        </Typography>
      )}
    </Flex>
  );
};

const Outcomes = ({ results }: { results: ImportResult[] }) => {
  const t = useT();
  const count = (outcome: ImportResult['outcome']) =>
    results.filter((result) => result.outcome === outcome).length;
  return (
    <Flex gap={2} data-testid="import-outcomes">
      <Badge active>{t('import.outcome.active', { count: count('active') })}</Badge>
      <Badge>{t('import.outcome.pending', { count: count('pending') })}</Badge>
      <Badge>{t('import.outcome.refused', { count: count('refused') })}</Badge>
      {count('revoked') ? <Badge>{t('import.outcome.revoked', { count: count('revoked') })}</Badge> : null}
    </Flex>
  );
};

/** After Apply: every refused row with its line and the reason, on the page (the result file has them too). */
const Refused = ({ results }: { results: ImportResult[] }) => {
  const t = useT();
  const refused = results.filter((result) => result.outcome === 'refused').sort((a, b) => a.line - b.line);
  if (!refused.length) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Table colCount={5} rowCount={Math.min(refused.length, SHOWN_PROBLEMS) + 1} aria-label={t('import.refusedRows')}>
        <TableHeader columns={[t('import.line'), t('import.customer'), t('import.channel'), t('import.code'), t('import.reason')]} />
        <Tbody>
          {refused.slice(0, SHOWN_PROBLEMS).map((result) => (
            <TextRow
              key={result.line}
              data-testid="import-refused"
              cells={[result.line, result.userId || '—', result.productId || '—', result.code, result.message]}
            />
          ))}
        </Tbody>
      </Table>
      {refused.length > SHOWN_PROBLEMS && (
        <Typography variant="pi" textColor="neutral600">
          {t('import.moreProblems', { count: refused.length - SHOWN_PROBLEMS })}
        </Typography>
      )}
    </Flex>
  );
};

/** The styled file picker: a design-system button and a drop zone in front of a visually hidden, labelled file input. */
const FilePicker = ({ disabled, onFile }: { disabled: boolean; onFile: (file: File | undefined) => void }) => {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) onFile(event.dataTransfer.files?.[0]);
  };
  return (
    <Box
      padding={6}
      hasRadius
      borderStyle="dashed"
      borderWidth="1px"
      borderColor={over ? 'primary600' : 'neutral300'}
      background={over ? 'primary100' : 'neutral100'}
      onDragOver={(event: DragEvent<HTMLDivElement>) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="import-drop-zone"
    >
      <Flex direction="column" gap={2}>
        <VisuallyHidden>
          <label htmlFor={FILE_INPUT_ID}>{t('import.file')}</label>
          <input
            ref={input}
            id={FILE_INPUT_ID}
            type="file"
            accept=".csv,text/csv"
            disabled={disabled}
            tabIndex={-1}
            onChange={(event: ChangeEvent<HTMLInputElement>) => {
              onFile(event.target.files?.[0]);
              // The same file chosen again (after fixing it) is read again.
              event.target.value = '';
            }}
          />
        </VisuallyHidden>
        <Button startIcon={<Upload />} disabled={disabled} onClick={() => input.current?.click()}>
          {t('import.choose')}
        </Button>
        <Typography variant="pi" textColor="neutral600">
          {t('import.drop')}
        </Typography>
      </Flex>
    </Box>
  );
};

/**
 * Bulk purchases from a CSV file: a dry run that lists every row's problems by line before
 * anything is sent, then the valid rows applied in requests of a few customers each, with a
 * progress bar and a result file (every row: active, pending or refused with the code).
 */
const Importer = () => {
  const t = useT();
  const [bulkAuthorize] = useBulkAuthorize();
  const [bulkValidate] = useBulkValidate();
  const [fileName, setFileName] = useState('');
  const [checking, setChecking] = useState(false);
  const [parsed, setParsed] = useState<ParsedImport>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [results, setResults] = useState<ImportResult[]>();
  const [failure, setFailure] = useState<string>();

  const applying = Boolean(progress && !results);
  const valid = parsed?.rows.filter((row) => !row.problems.length) ?? [];

  /**
   * The server's dry run of the rows the browser found nothing wrong with: the checks that need
   * the catalog and the stored customers (channel by id, slug or title; email required), with
   * Apply's own code. Until it answers, nothing can be applied.
   */
  const checkWithServer = async (local: ParsedImport): Promise<ParsedImport> => {
    const clean = local.rows.filter((row) => !row.problems.length);
    const verdicts = new Map<ImportRow, Parameters<typeof withServerVerdict>[1]>();
    for (const chunk of chunksOf(clean, MAX_BULK_ROWS)) {
      const answers = await bulkValidate(chunk.map((row) => row.row)).unwrap();
      chunk.forEach((row, position) => verdicts.set(row, answers[position]));
    }
    return { ...local, rows: local.rows.map((row) => (verdicts.has(row) ? withServerVerdict(row, verdicts.get(row)) : row)) };
  };

  const choose = async (file: File | undefined) => {
    setParsed(undefined);
    setProgress(undefined);
    setResults(undefined);
    setFailure(undefined);
    if (!file) return;
    setFileName(file.name);
    const local = parseImportCsv(await file.text());
    if (local.fileProblems.length) {
      setParsed(local);
      return;
    }
    setChecking(true);
    try {
      setParsed(await checkWithServer(local));
    } catch (error) {
      setFailure(apiErrorOf(error).message);
    } finally {
      setChecking(false);
    }
  };

  /** Sends chunk after chunk; a request that fails stops the import, and its rows and the rest are reported as not applied. */
  const apply = async () => {
    if (!parsed) return;
    const collected: ImportResult[] = parsed.rows
      .filter((row) => row.problems.length)
      .map(refusedLocally);
    const chunks = chunksOf(valid);
    setProgress({ done: 0, total: valid.length });
    let done = 0;
    for (const [index, chunk] of chunks.entries()) {
      try {
        const answers = await bulkAuthorize(chunk.map((row) => row.row)).unwrap();
        chunk.forEach((row, position) => collected.push(resultOf(row, answers[position])));
      } catch (error) {
        const { code, message } = apiErrorOf(error);
        setFailure(message);
        const notApplied = (row: ImportRow): ImportResult => ({
          ...refusedLocally({ ...row, problems: [] }),
          code: code ?? 'INTERNAL_ERROR',
          message: t('import.notApplied', { message }),
        });
        collected.push(...chunks.slice(index).flat().map(notApplied));
        break;
      }
      done += chunk.length;
      setProgress({ done, total: valid.length });
    }
    setResults(collected);
  };

  const percent = progress ? Math.round((100 * progress.done) / Math.max(1, progress.total)) : 0;

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Panel title={t('import.title')}>
        <Typography tag="p">{t('import.description')}</Typography>
        <Typography tag="p" variant="pi" textColor="neutral600">
          {t('import.columns')}
        </Typography>
        <Flex gap={2}>
          <Button variant="tertiary" startIcon={<Download />} onClick={() => saveFile('osteocom-import-template.csv', templateCsv())}>
            {t('import.template')}
          </Button>
        </Flex>
        <FilePicker disabled={applying || checking} onFile={choose} />
        {checking && (
          <Typography tag="p" role="status" data-testid="import-checking">
            {t('import.checking')}
          </Typography>
        )}
        {failure && !progress && (
          <Alert variant="danger" title={t('import.checkFailed')} closeLabel={t('action.close')}>
            {failure}
          </Alert>
        )}
      </Panel>
      {parsed && (
        <Panel
          title={t('import.dryRun', { file: fileName })}
          action={
            <Button
              onClick={apply}
              disabled={
                applying || Boolean(results) || parsed.fileProblems.length > 0 || !valid.length
              }
            >
              {t('import.apply', { count: valid.length })}
            </Button>
          }
        >
          <DryRun parsed={parsed} />
        </Panel>
      )}
      {progress && (
        <Panel title={t('import.progressTitle')}>
          {/* The Design System's bar is drawn for dark backgrounds, and keeps `value` to itself: the percentage is told to assistive technology here. */}
          <Box background="neutral800" padding={2} hasRadius width="fit-content">
            <ProgressBar
              value={percent}
              aria-valuenow={percent}
              aria-label={t('import.progressTitle')}
            />
          </Box>
          <Typography tag="p" data-testid="import-progress">
            {t('import.progress', { done: progress.done, total: progress.total })}
          </Typography>
          {failure && (
            <Alert variant="danger" title={t('import.failed')} closeLabel={t('action.close')}>
              {failure}
            </Alert>
          )}
          {results && (
            <Box>
              <Flex justifyContent="space-between" gap={4}>
                <Outcomes results={results} />
                <Button
                  variant="secondary"
                  onClick={() => saveFile('osteocom-import-results.csv', resultsCsv(results))}
                >
                  {t('import.download')}
                </Button>
              </Flex>
              <Box paddingTop={4}>
                <Refused results={results} />
              </Box>
            </Box>
          )}
        </Panel>
      )}
    </Flex>
  );
};

export const ImportPage = () => (
  <Page.Protect permissions={PERMISSIONS.authorize}>
    <Importer />
  </Page.Protect>
);
