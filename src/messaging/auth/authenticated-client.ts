/**
 * What a verified token (or a host's `auth.guard`) puts on `request.user`.
 * In a file of its own so the public declarations never import the JWT
 * strategy, whose types come from passport-jwt (a host has no @types for it).
 */
export interface AuthenticatedClient {
  /** The token's `sub`: who asked (stored as `requestedBy` on log rows, throttling key). */
  subject: string;
}
