import type { Core } from '@strapi/strapi';
import Papa from 'papaparse';
import { inertCell } from '../../../../shared/contracts/csv';
import {
  EXPORT_COLUMNS,
  type ExportEntitlementsQuery,
} from '../../../../shared/contracts/members-export';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import type { Actor } from '../../utils/actor';
import { getService } from '../../utils/get-service';

/** Rows read and written at a time: the most the export holds in memory. */
const PAGE_SIZE = 500;
const DAY_MS = 86_400_000;
const NEWLINE = '\r\n';

/** The query-engine filter of the entitlement columns (a search by customer is applied by paging customers). */
const entitlementWhere = (filter: ExportEntitlementsQuery, now: Date) => {
  const where: Record<string, unknown>[] = [];
  if (filter.channel) where.push({ channelKey: filter.channel });
  if (filter.status) where.push({ status: filter.status });
  if (filter.expiringWithinDays) {
    // As the "Expiring soon" list: accesses still running (or on their way) that end by then.
    where.push({
      accessUntil: { $gt: now, $lte: new Date(now.getTime() + filter.expiringWithinDays * DAY_MS) },
      status: { $in: ['active', 'pending'] },
    });
  }
  return where.length ? { $and: where } : {};
};

const cell = (value: string | number | boolean | null | undefined) =>
  value === null || value === undefined ? '' : inertCell(String(value));

/** The members export: the entitlements a filter selects, as the bulk import's CSV, a page at a time. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);

  /** Pages of entitlements matching `where`, by id; with `q`, those of the matching customers, a page of customers at a time. */
  async function* pages(where: Record<string, unknown>, q: string | undefined) {
    if (!q) {
      for (let after = 0; ;) {
        const page = await entitlements.exportPage(where, after, PAGE_SIZE);
        if (page.length) yield page;
        if (page.length < PAGE_SIZE) return;
        after = page[page.length - 1].id;
      }
    }
    for (let afterCustomer = 0; ;) {
      const matching = await customers.matchingPage(q, afterCustomer, PAGE_SIZE);
      if (!matching.length) return;
      const keys = { customerKey: { $in: matching.map((customer) => customer.userId) } };
      for (let after = 0; ;) {
        const page = await entitlements.exportPage({ $and: [where, keys] }, after, PAGE_SIZE);
        if (page.length) yield page;
        if (page.length < PAGE_SIZE) break;
        after = page[page.length - 1].id;
      }
      afterCustomer = matching[matching.length - 1].id;
    }
  }

  /** The CSV's text in chunks: the header, then a chunk per page. */
  async function* csv(filter: ExportEntitlementsQuery): AsyncGenerator<string> {
    yield Papa.unparse([[...EXPORT_COLUMNS]]);
    let rows = 0;
    for await (const page of pages(entitlementWhere(filter, new Date()), filter.q)) {
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
