/** The shapes of the API answers the console reads (docs/api.md). */

export interface LogError {
  code: string;
  message: string;
  providerCode?: string | number;
}

export interface Attempt {
  provider: string;
  at: string;
  outcome: string;
  error?: LogError;
}

export interface ReceiptEvent {
  status: string;
  at: string;
  [field: string]: unknown;
}

export interface LogRow {
  _id: string;
  channel: string;
  to: string | string[];
  from?: string;
  direction?: string;
  status: string;
  provider?: string;
  subject?: string;
  template?: string;
  locale?: string;
  segments?: number;
  messageId?: string;
  error?: LogError;
  attempts?: Attempt[];
  events?: ReceiptEvent[];
  sendAt?: string;
  createdAt: string;
  updatedAt: string;
  [field: string]: unknown;
}

export interface LogPage {
  logs: LogRow[];
  total: number;
  nextCursor: string | null;
}

export interface TemplateVariable {
  name: string;
  type: 'string' | 'url' | 'number';
  required: boolean;
  description?: string;
  min?: number;
  max?: number;
  integer?: boolean;
}

export interface TemplateInfo {
  name: string;
  description?: string;
  channels: string[];
  locales: string[];
  variables: TemplateVariable[];
}

export interface ProviderHealth {
  provider: string;
  status: string;
  failover?: Array<{ provider: string; status: string }>;
  channelStatus?: string;
}

export interface HealthReport {
  status: string;
  providers: Record<string, ProviderHealth>;
  database: { status: string };
  redis?: { status: string };
  queue?: { status: string };
  webhooks?: { urls: number; lastFailure?: { at: string; url: string; reason: string } };
  receipts: string;
}

export interface Suppression {
  channel: string;
  address: string;
  scope: string;
  reason: string;
  source: string;
  allTenants: boolean;
  createdAt: string;
}

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export const STATUSES = ['pending', 'sent', 'failed', 'queued', 'scheduled', 'cancelled', 'delivered', 'undelivered', 'read', 'suppressed', 'received'] as const;
