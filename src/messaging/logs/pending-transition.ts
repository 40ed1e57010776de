import type { Model, Types, UpdateQuery } from 'mongoose';
import type { MessageLog } from './message-log.schema.js';

/** `moved`: the row was pending and now holds the update. `not-pending`: left as it was (or missing). */
export type PendingTransition = 'moved' | 'not-pending';

/**
 * Moves a `pending` row to its final status; a row in any other status is
 * never overwritten.
 *
 * MongoDB: one atomic `updateOne({ _id, status: 'pending' })`, found through
 * the `_id` index.
 *
 * FerretDB (`onlyIdEquality`): that filter is not pushed down, so the server
 * would decode every row of the collection to find one. Instead the row is
 * read by `_id`, and updated by `_id` only if it is still pending: two
 * indexed lookups. FerretDB 1.x has no atomic conditional update to lose
 * here: it runs `{ _id, status }` itself as the same read, check and write,
 * in separate steps without a transaction. So on FerretDB, as before, a final
 * status written by someone else between the read and the write would be
 * overwritten (only the dispatch that wrote a pending row finalizes it); on
 * MongoDB the guard stays atomic.
 */
export async function moveFromPending(
  model: Model<MessageLog>,
  id: Types.ObjectId,
  change: UpdateQuery<MessageLog>,
  onlyIdEquality: boolean,
): Promise<PendingTransition> {
  if (!onlyIdEquality) {
    const result = await model.updateOne({ _id: id, status: 'pending' }, change).exec();
    return result.matchedCount > 0 ? 'moved' : 'not-pending';
  }
  const row = await model.findById(id, { status: 1 }).lean().exec();
  if (row?.status !== 'pending') return 'not-pending';
  await model.updateOne({ _id: id }, change).exec();
  return 'moved';
}
