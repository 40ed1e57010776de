// Moved to common/deadline.ts; kept only for logs/filter-pushdown.ts, which another change
// rewrites (#15 item 5): delete this file once nothing imports it.
export { DeadlineExceededError, withDeadline } from '../common/deadline.js';
