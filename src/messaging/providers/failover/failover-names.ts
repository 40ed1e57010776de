/**
 * Name of the provider at `index` (0-based) of a channel's built-in list:
 * the first keeps the plain name (`smtp`, `twilio`), so a setup without
 * failover logs exactly as before; the others are `smtp-2`, `twilio-3`...
 */
export function failoverName(base: string, index: number): string {
  return index === 0 ? base : `${base}-${index + 1}`;
}
