import { createRequire } from 'node:module';
import type { FakeTwilioFault } from './fake-twilio.js';

/** Twilio's error body: `{code, message, more_info, status}`. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** scripts/lib/twilio-resources.cjs, shared with the local capture of `npm start`; see there. */
interface TwilioResources {
  errorBody: (status: number, code: number, message: string) => TwilioErrorBody;
  messageSid: () => string;
  messageResource: (accountSid: string, form: URLSearchParams) => Record<string, unknown>;
  accountResource: (accountSid: string, friendlyName?: string) => Record<string, unknown>;
  messageProblem: (form: URLSearchParams) => TwilioErrorBody | undefined;
  fieldsOf: (form: URLSearchParams) => Record<string, string | string[]>;
}

// The relative path also holds where bench/fake-twilio.mjs transpiles this file (it rewrites it).
const resources = createRequire(import.meta.url)('../../scripts/lib/twilio-resources.cjs') as TwilioResources;

/** The Twilio shapes the fake answers with (`messageResource` and `accountResource`: 201 and 200 bodies). */
export const { errorBody, messageSid, messageResource, accountResource, messageProblem, fieldsOf } = resources;

/** Ready-made faults with Twilio's real codes and messages. */
export const faults = {
  /** 500 (or another 5xx) with Twilio's generic server error. */
  serverError: (status = 500, code = 20500): FakeTwilioFault => ({
    type: 'error',
    status,
    code,
    message: 'An internal server error has occurred',
  }),
  /** 429 Too Many Requests (Twilio code 20429). */
  tooManyRequests: (): FakeTwilioFault => ({ type: 'error', status: 429, code: 20429, message: 'Too Many Requests' }),
  /** Any 4xx rejection, e.g. `rejection(21610, 'Attempt to send to unsubscribed recipient')`. */
  rejection: (code: number, message: string, status = 400): FakeTwilioFault => ({ type: 'error', status, code, message }),
  /** 400 / 21211: the To number is not valid. */
  invalidNumber: (): FakeTwilioFault => ({
    type: 'error',
    status: 400,
    code: 21211,
    message: "The 'To' number is not a valid phone number.",
  }),
  /** 400 / 21610: the recipient replied STOP. */
  unsubscribed: (): FakeTwilioFault => ({
    type: 'error',
    status: 400,
    code: 21610,
    message: 'Attempt to send to unsubscribed recipient',
  }),
  /** The normal answer, `delayMs` late; Infinity never answers. */
  slow: (delayMs: number): FakeTwilioFault => ({ type: 'slow', delayMs }),
  /** The connection is destroyed after the request is read. */
  drop: (): FakeTwilioFault => ({ type: 'drop' }),
};
