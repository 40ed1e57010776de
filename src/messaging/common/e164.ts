/**
 * E.164: `+`, then 2 to 15 digits, the first not 0 (a country code never
 * starts with 0). No spaces, dashes or parentheses: numbers are stored and
 * compared exactly as written. Here so the send DTOs and the suppression list
 * share one rule without a folder cycle.
 */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
