import { forgetToken, storedToken } from './session';

/** The API's root: the console is served at `<prefix>/console`, the API is `<prefix>/…`. */
export const API_BASE = location.pathname.replace(/\/console\/?$/, '');

/** The API's error envelope, `{"error":{"code","message","details"?}}`, as thrown by `api()`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

type Unauthorized = (message: string) => void;
let onUnauthorized: Unauthorized = () => undefined;

/** Where a 401 goes: the app returns to the token form with the API's message. */
export function whenUnauthorized(handler: Unauthorized): void {
  onUnauthorized = handler;
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Statuses besides 2xx whose body is the answer (health's 503). */
  accept?: number[];
}

/** One call to the public REST API with the user's bearer token; errors become ApiError. */
export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) if (value) query.set(name, value);
  const url = `${API_BASE}${path}${query.size ? `?${query}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = storedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (response.ok || request.accept?.includes(response.status)) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
  const failure = new ApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `HTTP ${response.status}`, error?.details);
  if (response.status === 401) {
    forgetToken();
    onUnauthorized(failure.message);
  }
  throw failure;
}

/** A readable line for an error: the API's message, and the fields it names. */
export function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const fields = error.details?.fields;
  if (!Array.isArray(fields)) return error.message;
  const lines = fields.map((field: { field?: string; errors?: string[] }) => `${field.field ?? ''}: ${(field.errors ?? []).join(', ')}`);
  return `${error.message} (${lines.join('; ')})`;
}
