/**
 * The baseline's providers: nodemailer with the app's pool settings against
 * the SMTP server, and the Twilio-compatible server through the official SDK
 * (default, what the app uses) or plain fetch. Health checks are cached like
 * the app's (10 s, 3 s timeout).
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import twilio from 'twilio';

const HEALTH_CACHE_MS = 10_000;
const HEALTH_TIMEOUT_MS = 3_000;
/** The app's SMTP retry policy: 3 attempts, 250 ms then 500 ms apart, transient failures only. */
const SMTP_ATTEMPTS = 3;
const SMTP_BACKOFF_MS = 250;

/** No reply code (connection lost, timeout) or a 4xx reply: worth another attempt. */
function isTransient(error) {
  const code = error?.responseCode;
  return typeof code !== 'number' || (code >= 400 && code < 500);
}

/** SMTP: one pooled transport (5 connections, 100 messages each, like the app). */
export function smtpProvider({ host, port, from }) {
  const transport = nodemailer.createTransport(
    { host, port, secure: false, pool: true, maxConnections: 5, maxMessages: 100, disableFileAccess: true, disableUrlAccess: true },
    { from },
  );
  transport.on('error', () => undefined);
  const domain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return {
    name: 'smtp',
    async send({ to, cc, bcc, replyTo, subject, html, text }) {
      const mail = { messageId: `<${randomUUID()}@${domain}>`, to, cc, bcc, replyTo, subject, html, text };
      for (let attempt = 1; ; attempt++) {
        try {
          return (await transport.sendMail(mail)).messageId;
        } catch (error) {
          if (attempt >= SMTP_ATTEMPTS || !isTransient(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, SMTP_BACKOFF_MS * attempt));
        }
      }
    },
    // The app opens a fresh connection per check; nodemailer's verify() on a pool does the same.
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
}

/** Twilio Create Message through the SDK (the app's way) or fetch with keep-alive. */
export function twilioProvider({ accountSid, authToken, baseUrl, mode }) {
  if (mode === 'fetch') return twilioOverFetch({ accountSid, authToken, baseUrl });
  const client = new twilio.Twilio(accountSid, authToken, { autoRetry: false, edge: '', region: '' });
  client.api.baseUrl = baseUrl.replace(/\/+$/, '');
  return {
    name: 'twilio',
    async send(params) {
      const message = await client.api.v2010.account.messages.create(params);
      return message.sid;
    },
    async verify() {
      const account = await client.api.v2010.accounts(accountSid).fetch();
      if (account.status !== 'active') throw new Error('account not active');
    },
  };
}

function twilioOverFetch({ accountSid, authToken, baseUrl }) {
  const root = `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${accountSid}`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const call = async (url, init) => {
    const response = await fetch(url, { ...init, headers: { authorization, ...init?.headers } });
    const json = await response.json();
    if (!response.ok) throw Object.assign(new Error(json.message ?? `HTTP ${response.status}`), { code: json.code });
    return json;
  };
  return {
    name: 'twilio',
    async send({ to, from, body }) {
      const form = new URLSearchParams({ To: to, From: from, Body: body });
      const message = await call(`${root}/Messages.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      return message.sid;
    },
    async verify() {
      const account = await call(`${root}.json`);
      if (account.status !== 'active') throw new Error('account not active');
    },
  };
}

/** `check()` resolves true/false: the provider's verify() with a timeout, its outcome kept for 10 s. */
export function cachedHealth(provider) {
  let cached;
  return async () => {
    if (cached && Date.now() - cached.at < HEALTH_CACHE_MS) return cached.up;
    const pending = (async () => {
      try {
        await Promise.race([
          provider.verify(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS).unref()),
        ]);
        return true;
      } catch {
        return false;
      }
    })();
    cached = { at: Date.now(), up: pending };
    return pending;
  };
}
