import { Inject, Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import {
  FAILED_RECEIPTS,
  MAX_RECEIPT_EVENTS,
  RECEIPT_MOVES_FROM,
  twilioErrorMessage,
  type ReceiptEvent,
  type ReceiptStatus,
} from '../common/delivery-receipts.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import type { MessageLog } from './message-log.schema.js';
import { StatusUpdates, type AllowedFrom } from './status-updates.js';

/** One delivery receipt from a provider, already authenticated. */
export interface DeliveryReceipt {
  /** The provider's message id, as the row's `messageId` holds it. */
  messageId: string;
  status: ReceiptStatus;
  providerStatus: string;
  errorCode?: string;
}

/** What a receipt did: moved its row, left it (duplicate, out of order, final), or found no row. */
export type ReceiptOutcome = 'moved' | 'unchanged' | 'unknown';

/**
 * Applies delivery receipts to the message log. The row is found by the
 * provider's message id (indexed), then moved forward only, through
 * StatusUpdates.move (one conditional update on MongoDB, so racing receipts
 * cannot regress a row; serialized per row in this process on FerretDB).
 * A moved row gains the receipt in `events` (the newest 20 kept) and, when
 * undelivered or failed, the provider's code in `error.providerCode`.
 */
@Injectable()
export class DeliveryReceipts {
  constructor(
    @Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>,
    private readonly updates: StatusUpdates,
  ) {}

  async apply(receipt: DeliveryReceipt, at = new Date()): Promise<ReceiptOutcome> {
    const from = RECEIPT_MOVES_FROM[receipt.status];
    if (from.length === 0) return 'unchanged'; // nothing ranks below `sent` once a provider has the message
    const row = await this.model.findOne({ messageId: receipt.messageId }, { _id: 1 }).lean<{ _id: Types.ObjectId }>().exec();
    if (!row) return 'unknown';
    const allowed = from.map((status) => ({ status })) as unknown as AllowedFrom;
    const event: ReceiptEvent = {
      status: receipt.status,
      providerStatus: receipt.providerStatus,
      at,
      ...(receipt.errorCode === undefined ? {} : { errorCode: receipt.errorCode }),
    };
    const moved = await this.updates.move(row._id, allowed, {
      $set: { status: receipt.status, ...(FAILED_RECEIPTS.has(receipt.status) ? { error: failure(receipt.errorCode) } : {}) },
      $push: { events: { $each: [event], $slice: -MAX_RECEIPT_EVENTS } },
    });
    return moved ? 'moved' : 'unchanged';
  }
}

function failure(providerCode: string | undefined) {
  return {
    code: ErrorCode.SEND_FAILED,
    message: twilioErrorMessage(providerCode),
    ...(providerCode === undefined ? {} : { providerCode }),
  };
}
