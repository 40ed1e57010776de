import type { ProviderReceipt } from '../common/provider-receipt.js';

export type { ProviderReceipt };

/** What every provider of every channel offers besides sending. */
export interface ProviderBase {
  /** Short name stored on log rows and shown by /messaging/health (`smtp`, `twilio`). */
  readonly name: string;
  /**
   * Resolves when the provider answers with valid credentials; rejects
   * otherwise. Called by the health endpoint with a timeout signal.
   */
  verify(signal: AbortSignal): Promise<void>;
}
