/**
 * What a verified token (or a host's `auth.guard`) puts on `request.user`.
 * In a file of its own so the public declarations never import the JWT
 * strategy, whose types come from passport-jwt (a host has no @types for it).
 */
export interface AuthenticatedClient {
  /** The token's `sub`: who asked (stored as `requestedBy` on log rows). */
  subject: string;
  /**
   * Whose rows the caller sees, and whose rate limit it counts against: the
   * token's tenant claim (`JWT_TENANT_CLAIM`, default `tenant`), else `sub`.
   * A host guard may leave it out: the tenant is then the subject.
   */
  tenant?: string;
  /**
   * The token's scopes (`scope` or `scp`). Undefined when the token carried
   * no scope claim: every route but the admin views stays open to it unless
   * scopes are required (`auth.requireScopes`, docs/access.md).
   */
  scopes?: readonly string[];
}

/** The caller's tenant: its own, else its subject (`anonymous` when a host guard set no user). */
export function tenantOf(client: AuthenticatedClient | undefined): string {
  return client?.tenant ?? client?.subject ?? 'anonymous';
}
