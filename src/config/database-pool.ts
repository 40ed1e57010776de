/**
 * Connections the standalone app opens to the database (MONGODB_MAX_POOL_SIZE).
 *
 * The send path holds a connection only for one short log write at a time
 * (the provider call holds none), so 20 serve far more sends per second than
 * one process handles. The driver's default of 100 is also unsafe on FerretDB
 * 1.24 with SQLite: an update holds two of the 100 SQLite connections of a
 * database at once, so 50 or more concurrent updates can take all of them and
 * wait for each other forever (docs/reliability.md). Every process connected
 * to one FerretDB counts: keep their sum under 50.
 */
export const DEFAULT_MONGODB_MAX_POOL_SIZE = 20;

/**
 * How long a query waits for a free pooled connection before failing (the
 * driver's default is forever). A send then answers 503 instead of hanging.
 */
export const MONGODB_WAIT_QUEUE_TIMEOUT_MS = 10_000;
