import type { ChannelName } from '../common/channel-names.js';
import type { SuppressionReason, SuppressionScope, SuppressionSource } from '../common/consent-fields.js';
import { EVERY_TENANT } from './suppression.schema.js';
import type { StoredSuppression } from './suppression.store.js';

/** One entry as the API shows it. */
export interface SuppressionView {
  channel: ChannelName;
  address: string;
  scope: SuppressionScope;
  reason: SuppressionReason;
  source: SuppressionSource;
  /** True for an entry that holds for every tenant (an inbound STOP); the caller cannot delete it. */
  allTenants: boolean;
  /** ISO-8601, UTC. */
  createdAt: string;
}

export interface SuppressionsPage {
  suppressions: SuppressionView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** An allow-list of fields, so the tenant and the id stay inside. */
export function toSuppressionView(row: StoredSuppression): SuppressionView {
  return {
    channel: row.channel,
    address: row.address,
    scope: row.scope,
    reason: row.reason,
    source: row.source,
    allTenants: row.tenant === EVERY_TENANT,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
