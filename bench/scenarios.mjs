/**
 * The measured requests. Every send is valid and distinct (its own
 * recipient, subject and body, numbered per run), so no cache or dedup can
 * make a server look faster than it is. Shared by the load generator
 * (bench/loader.mjs) and the smoke check that runs before any measurement.
 */

/** Names in the order they run: sends first, so the logs scenario reads a collection they filled. */
export const SCENARIO_NAMES = ['email', 'email-template', 'sms', 'whatsapp', 'logs', 'health', 'callbacks'];

/**
 * Asynchronous sends (`Prefer: respond-async`, 202): measured by bench/async.mjs against our app
 * with Redis, beside the synchronous `sms` on the same instance (the baseline has no queue).
 */
export const ASYNC_SCENARIO = 'sms-async';

/** E.164 numbers +1555xxxxxxx: distinct for the first 10 million requests of a run. */
function phone(n) {
  return `+1555${String(n % 10_000_000).padStart(7, '0')}`;
}

const SCENARIOS = {
  email: {
    label: 'POST /messaging/email',
    method: 'POST',
    path: '/messaging/email',
    body: (n, run) => ({
      to: `user-${run}-${n}@example.com`,
      subject: `Your order ${run}-${n} has shipped`,
      body:
        `<h1>Hello customer ${n}!</h1><p>Your order <b>${run}-${n}</b> left our warehouse today.</p>` +
        `<p>Track it at <a href="https://shop.example.com/orders/${run}-${n}">shop.example.com</a>.</p>` +
        '<p>Thanks for shopping with us,<br>The Example Shop team</p>',
    }),
    check: (json) => typeof json.messageId === 'string' && json.status === 'sent',
  },
  'email-template': {
    label: 'POST /messaging/email/template',
    method: 'POST',
    path: '/messaging/email/template',
    body: (n, run) => ({
      to: `user-${run}-${n}@example.com`,
      template: 'welcome',
      data: { name: `Customer ${n}`, appName: 'Example Shop', actionUrl: `https://shop.example.com/start?u=${run}-${n}` },
    }),
    check: (json) => typeof json.messageId === 'string' && json.template === 'welcome',
  },
  sms: {
    label: 'POST /messaging/sms',
    method: 'POST',
    path: '/messaging/sms',
    body: (n) => ({ to: phone(n), body: `Your verification code is ${String(n % 1_000_000).padStart(6, '0')}` }),
    check: (json) => typeof json.messageId === 'string' && json.channel === 'sms',
  },
  'sms-async': {
    label: 'POST /messaging/sms, Prefer: respond-async',
    method: 'POST',
    path: '/messaging/sms',
    prefer: 'respond-async',
    status: 202,
    body: (n) => ({ to: phone(n), body: `Your verification code is ${String(n % 1_000_000).padStart(6, '0')}` }),
    check: (json) => typeof json.messageId === 'string' && json.status === 'queued' && json.channel === 'sms',
  },
  whatsapp: {
    label: 'POST /messaging/whatsapp',
    method: 'POST',
    path: '/messaging/whatsapp',
    body: (n, run) => ({ to: phone(n), body: `Your order ${run}-${n} has shipped and arrives tomorrow.` }),
    check: (json) => typeof json.messageId === 'string' && json.channel === 'whatsapp',
  },
  logs: {
    label: 'GET /messaging/logs?limit=20',
    method: 'GET',
    path: '/messaging/logs?limit=20',
    check: (json) => Array.isArray(json.logs) && json.logs.length === 20 && json.total >= 20,
  },
  health: {
    label: 'GET /messaging/health',
    method: 'GET',
    path: '/messaging/health',
    public: true,
    check: (json) => json.status === 'healthy',
  },
  // Signed per request (bench/callbacks.mjs signedCallback): headers and body come from there.
  callbacks: {
    label: 'POST /messaging/webhooks/twilio/status',
    method: 'POST',
    path: '/messaging/webhooks/twilio/status',
    public: true,
    signed: true,
    status: 204,
  },
};

/** The scenario called `name`. */
export function scenario(name) {
  const found = SCENARIOS[name];
  if (!found) throw new Error(`unknown scenario ${name}`);
  return { name, ...found };
}

/** Headers of every request of `name`: JSON, the bearer token (health is public and gets none), Prefer. */
export function headersOf(name, token) {
  const { method, public: isPublic, prefer } = scenario(name);
  return {
    ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    ...(isPublic ? {} : { authorization: `Bearer ${token}` }),
    ...(prefer ? { prefer } : {}),
  };
}

/** The JSON body of request number `n` of a run tagged `run`, or undefined for GETs. */
export function bodyOf(name, n, run) {
  const { body } = scenario(name);
  return body ? JSON.stringify(body(n, run)) : undefined;
}
