/**
 * The OAuth scopes the module's routes ask for (docs/access.md). In common/
 * so every folder (auth, logs, messages, and later routes such as metrics)
 * can name them without importing the auth folder.
 */
export const MessagingScope = {
  /** The send routes (email, SMS, WhatsApp, templates) and cancelling a message. */
  SEND: 'messaging:send',
  /** The message logs of one's own tenant. */
  LOGS_READ: 'messaging:logs:read',
  /** Everything above, for every tenant (`?tenant=` on the logs), and the operator routes. */
  ADMIN: 'messaging:admin',
} as const;

export type MessagingScope = (typeof MessagingScope)[keyof typeof MessagingScope];

export const MESSAGING_SCOPES: readonly MessagingScope[] = Object.values(MessagingScope);

/**
 * What a caller may do. `scopes` undefined: the token carried no scope claim
 * (or a host guard set none), which keeps every route except the admin-only
 * views unless scopes are required; see `grantsScope`.
 */
export interface ScopeHolder {
  scopes?: readonly string[];
}

/**
 * True when the caller holds `required`. `messaging:admin` implies every
 * other scope. A caller without a scope claim passes when scopes are not
 * required (the migration path for tokens issued before scopes), except for
 * `messaging:admin` itself: seeing every tenant is never granted by default.
 */
export function grantsScope(caller: ScopeHolder | undefined, required: MessagingScope, requireScopes: boolean): boolean {
  const scopes = caller?.scopes;
  if (scopes === undefined) return !requireScopes && required !== MessagingScope.ADMIN;
  return scopes.includes(required) || scopes.includes(MessagingScope.ADMIN);
}

/** True when the caller holds `messaging:admin` (it sees every tenant). */
export function isAdmin(caller: ScopeHolder | undefined): boolean {
  return caller?.scopes?.includes(MessagingScope.ADMIN) ?? false;
}
