/**
 * Twilio's standard opt-out and opt-in keywords (Advanced Opt-Out's defaults). A message is a keyword
 * only when it is one of these as a whole, trimmed, in any case: "stop it" or "Please STOP" are not.
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);

export type InboundKeyword = 'opt_out' | 'opt_in';

export function keywordOf(body: string): InboundKeyword | undefined {
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  return undefined;
}
