/**
 * A tenant id as a token's tenant claim may carry it and `?tenant=` may ask
 * for it: 1 to 128 ASCII letters, digits and `._:@|/+=-`, starting with a
 * letter or digit. Enough for the ids identity providers use (UUIDs, Entra
 * `tid`, `org_…`, `acme.eu`), and nothing that can garble a log line or a
 * metrics label. A tenant taken from `sub` (no tenant claim) follows the
 * subject's own rule instead (auth/token-claims.ts).
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@|/+=-]{0,127}$/;

/** The same rule as a string, for the OpenAPI document. */
export const TENANT_ID_PATTERN_SOURCE = TENANT_ID_PATTERN.source;

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

/**
 * Who a message is sent for: `subject` is recorded as `requestedBy`,
 * `tenant` owns the log row (only that tenant's callers, and admins, see it).
 * A host calling the services with a plain string gives the subject; its
 * tenant is then the subject itself, as for a token without a tenant claim.
 */
export interface Requester {
  subject: string;
  tenant?: string;
}

/** The log row's owner fields for what a caller passed as `requestedBy`. */
export function ownerOf(requestedBy: string | Requester): { requestedBy: string; tenant: string } {
  if (typeof requestedBy === 'string') return { requestedBy, tenant: requestedBy };
  return { requestedBy: requestedBy.subject, tenant: requestedBy.tenant ?? requestedBy.subject };
}
