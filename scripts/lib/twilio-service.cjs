'use strict';
/**
 * The local Twilio capture as a service of scripts/local-services.cjs: started detached like the SMTP capture,
 * recorded in .local/services.json, stopped with the others. See scripts/lib/twilio-capture.cjs for what it does.
 */
const { path, LOOPBACK } = require('./services-base.cjs');
const { ensureCaptureServer } = require('./process-control.cjs');
const {
  DEFAULT_TWILIO_CAPTURE_PORT,
  SMS_DIR,
  LOCAL_ACCOUNT_SID,
  LOCAL_AUTH_TOKEN,
  LOCAL_SENDER,
} = require('./twilio-capture.cjs');

const TWILIO_CAPTURE_SCRIPT = path.join(__dirname, 'twilio-capture.cjs');
/** What health and log rows call the provider when the app sends through the capture. */
const LOCAL_TWILIO_PROVIDER_NAME = 'twilio-local-capture';

/**
 * Makes the Twilio capture reachable on host:port (default 127.0.0.1:8026). Reuses whatever already listens
 * there (a capture left by another run); otherwise starts one, which writes messages to .local/sms/.
 * @param {{ port?: number, host?: string, dir?: string, record?: boolean }} [opts]
 * @returns {Promise<{ name: 'twilio', host: string, port: number, url: string, smsDir: string, started: boolean,
 *           pid?: number, log?: string }>}
 */
async function ensureTwilio(opts = {}) {
  const host = opts.host || LOOPBACK;
  const port = Number(opts.port || DEFAULT_TWILIO_CAPTURE_PORT);
  const dir = path.resolve(opts.dir || SMS_DIR);
  const url = `http://${host}:${port}`;
  const entry = await ensureCaptureServer({ name: 'twilio', script: TWILIO_CAPTURE_SCRIPT, host, port, dir, record: opts.record });
  return { ...entry, url, smsDir: dir };
}

/** The app's variables that send SMS and WhatsApp through the capture at `url`. */
function localTwilioEnv(url) {
  return {
    TWILIO_ACCOUNT_SID: LOCAL_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: LOCAL_AUTH_TOKEN,
    TWILIO_API_BASE_URL: url,
    TWILIO_SMS_FROM: LOCAL_SENDER,
    TWILIO_WHATSAPP_FROM: LOCAL_SENDER,
    TWILIO_PROVIDER_NAME: LOCAL_TWILIO_PROVIDER_NAME,
  };
}

module.exports = {
  ensureTwilio,
  localTwilioEnv,
  DEFAULT_TWILIO_CAPTURE_PORT,
  LOCAL_TWILIO_PROVIDER_NAME,
  SMS_DIR,
};
