/** SMTP relay used for the email channel. */
export interface SmtpOptions {
  /** Host name or IP of the SMTP server. */
  host: string;
  /** Port; 587 (STARTTLS) or 465 (implicit TLS) in production, 1025 for a local capture server. */
  port: number;
  /** Implicit TLS from the first byte (port 465). When false, STARTTLS is used if the server offers it. */
  secure: boolean;
  /** Optional login; both or neither of user/pass. */
  user?: string;
  pass?: string;
  /** Default From header, e.g. `"FluxKit <no-reply@example.com>"`. */
  from: string;
}

/** Twilio account used for SMS and WhatsApp. */
export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Sender for SMS (E.164). Either this or `messagingServiceSid` enables SMS. */
  smsFrom?: string;
  /** A Twilio Messaging Service SID used as the SMS sender instead of `smsFrom`. */
  messagingServiceSid?: string;
  /** Sender for WhatsApp (E.164, without the `whatsapp:` prefix). Enables WhatsApp. */
  whatsappFrom?: string;
  /** Replaces `https://api.twilio.com` (Twilio-compatible APIs, local fakes). */
  apiBaseUrl?: string;
}

/** Bearer-token authentication of the module's routes. */
export interface AuthOptions {
  /** HS256 secret the tokens are signed with. */
  jwtSecret: string;
  /** When set, tokens must carry this `iss`. */
  issuer?: string;
  /** When set, tokens must carry this `aud`. */
  audience?: string;
}

/** Per-client request limit (client = token subject, else IP address). */
export interface ThrottleOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  ttlMs: number;
}

/** Options of `MessagingModule.forRoot` / `forRootAsync`. */
export interface MessagingModuleOptions {
  auth: AuthOptions;
  /** Omit to leave the email channel unconfigured (sends answer PROVIDER_NOT_CONFIGURED). */
  smtp?: SmtpOptions;
  /** Omit to leave SMS and WhatsApp unconfigured. */
  twilio?: TwilioOptions;
  /** Defaults to 100 requests per 60 000 ms. */
  throttle?: ThrottleOptions;
  /** Folder of email templates; defaults to the `templates/` folder shipped with the package. */
  templatesDir?: string;
}

/** Options fixed when the module is imported (they shape its providers, so they cannot be async). */
export interface MessagingModuleExtras {
  /** Name of the host's Mongoose connection to store message logs on; default connection when unset. */
  connectionName?: string;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { limit: 100, ttlMs: 60_000 };
