import type { Core } from '@strapi/strapi';
import Papa from 'papaparse';
import { inertCell } from '../../../../shared/contracts/csv';
import {
  EXPORT_COLUMNS,
  type ExportEntitlementsQuery,
} from '../../../../shared/contracts/members-export';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { createMemberRepository } from '../../repositories/member-repository';
import type { Actor } from '../../utils/actor';
import { getService } from '../../utils/get-service';

/** Rows read and written at a time: the most the export holds in memory. */
const PAGE_SIZE = 500;
const NEWLINE = '\r\n';

const cell = (value: string | number | boolean | null | undefined) =>
  value === null || value === undefined ? '' : inertCell(String(value));

/** The members export: the entitlements a filter selects, as the bulk import's CSV, a page at a time. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);
  const members = createMemberRepository(strapi);

  /** Pages of the entitlements the filter selects, by id: the member list's own filter (member-repository.ts), so the file holds what the list shows. */
  async function* pages(filter: ExportEntitlementsQuery) {
    const where = await getService(strapi, 'customers').memberWhere(filter);
    const now = Date.now();
    for (let after = 0; ;) {
      const ids = await members.idsAfter(where, now, after, PAGE_SIZE);
      const page = await entitlements.exportRowsOf(ids);
      if (page.length) yield page;
      if (ids.length < PAGE_SIZE) return;
      after = ids[ids.length - 1];
    }
  }

  /** The CSV's text in chunks: the header, then a chunk per page. */
  async function* csv(filter: ExportEntitlementsQuery): AsyncGenerator<string> {
    yield Papa.unparse([[...EXPORT_COLUMNS]]);
    let rows = 0;
    for await (const page of pages(filter)) {
      const profiles = await customers.profilesOf([...new Set(page.map((row) => row.customerKey))]);
      const lines = page.map((row) => {
        const profile = profiles.get(row.customerKey);
        return [
          row.customerKey,
          profile?.email,
          profile?.name,
          profile?.surname,
          profile?.marketingConsent,
          row.channelKey,
          row.price,
          row.accessUntil,
          row.status,
        ].map(cell);
      });
      rows += lines.length;
      yield NEWLINE + Papa.unparse(lines);
    }
    yield NEWLINE;
    strapi.log.info(`[osteocom] members export: ${rows} row(s) written`);
  }

  return {
    /**
     * The export's CSV, for a streamed reply. Audited before a row is read (who took which
     * customers' data, with which filter): an export that cannot be recorded is not made.
     */
    async open(filter: ExportEntitlementsQuery, actor: Actor) {
      await getService(strapi, 'audit').record({
        action: 'export-members',
        outcome: 'success',
        actor,
        details: { filter },
      });
      return csv(filter);
    },
  };
};
