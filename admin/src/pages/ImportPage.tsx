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
} from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useState, type ChangeEvent } from 'react';
import { useBulkAuthorize } from '../api/bulk';
import { apiErrorOf } from '../api/errors';
import { Panel } from '../components/Panel';
import { useT } from '../hooks/useT';
import { PERMISSIONS } from '../permissions';
import {
  chunksOf,
  parseImportCsv,
  refusedLocally,
  resultOf,
  resultsCsv,
  type ImportResult,
  type ImportRow,
  type ParsedImport,
} from '../utils/importCsv';
import { TableHeader } from '../components/TableHeader';

/** Problems listed on the page; the count says how many more there are. */
const SHOWN_PROBLEMS = 500;
const FILE_INPUT_ID = 'osteocom-import-file';

const download = (name: string, text: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // Revoked once the browser has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

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

/**
 * Bulk purchases from a CSV file: a dry run that lists every row's problems by line before
 * anything is sent, then the valid rows applied in requests of a few customers each, with a
 * progress bar and a result file (every row: active, pending or refused with the code).
 */
const Importer = () => {
  const t = useT();
  const [bulkAuthorize] = useBulkAuthorize();
  const [fileName, setFileName] = useState('');
  const [parsed, setParsed] = useState<ParsedImport>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [results, setResults] = useState<ImportResult[]>();
  const [failure, setFailure] = useState<string>();

  const applying = Boolean(progress && !results);
  const valid = parsed?.rows.filter((row) => !row.problems.length) ?? [];

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setParsed(undefined);
    setProgress(undefined);
    setResults(undefined);
    setFailure(undefined);
    if (!file) return;
    setFileName(file.name);
    setParsed(parseImportCsv(await file.text()));
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
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="pi" fontWeight="bold" tag="label" htmlFor={FILE_INPUT_ID}>
            {t('import.file')}
          </Typography>
          <input
            id={FILE_INPUT_ID}
            type="file"
            accept=".csv,text/csv"
            disabled={applying}
            onChange={choose}
          />
        </Flex>
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
                  onClick={() => download('osteocom-import-results.csv', resultsCsv(results))}
                >
                  {t('import.download')}
                </Button>
              </Flex>
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
