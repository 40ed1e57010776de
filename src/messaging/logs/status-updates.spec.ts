import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, isFerretDB, testDatabaseUri } from '../../../test/helpers/database.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import { OUTCOME_UNKNOWN, QueuedMessageLog } from '../queue/queued-message-log.js';
import { MessageLogRepository } from './message-log.repository.js';
import { MessageLogSchema, type MessageLog, type MessageStatus } from './message-log.schema.js';
import { ATOMIC_UPDATE, READ_CHECK_WRITE, StatusUpdates, type StatusUpdateStrategy } from './status-updates.js';

/**
 * The same status moves through both strategies, on a small collection of
 * the test database (FerretDB or MongoDB): the atomic update is correct on
 * FerretDB too, only slower, so both run here whatever the server.
 */

/** Every state a row can be in; `pending+error` is a pending row between two attempts. */
const STATES = ['queued', 'scheduled', 'pending', 'pending+error', 'sent', 'failed', 'cancelled'] as const;
type State = (typeof STATES)[number];

const ERROR = { code: 'PROVIDER_UNAVAILABLE', message: 'try later' };

describe.each<[string, StatusUpdateStrategy]>([
  ['atomic update (MongoDB)', ATOMIC_UPDATE],
  ['read, check, write by _id (FerretDB)', READ_CHECK_WRITE],
])('status moves, %s', (_name, strategy) => {
  const uri = testDatabaseUri('status-updates');
  let connection: Connection;
  let model: Model<MessageLog>;
  let queue: QueuedMessageLog;
  let logs: MessageLogRepository;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined); // "no longer pending", expected here
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
    const statuses = StatusUpdates.using(model, strategy);
    queue = new QueuedMessageLog(model, statuses);
    logs = new MessageLogRepository(model, statuses);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await connection.close();
    await dropTestDatabase(uri);
  });

  async function rowIn(state: State): Promise<string> {
    const status: MessageStatus = state === 'pending+error' ? 'pending' : state;
    const error = state === 'pending+error' ? ERROR : undefined;
    const created = await model.create({ channel: 'sms', to: '+15550001111', provider: 'twilio', status, error });
    return created._id.toHexString();
  }

  async function stateOf(id: string): Promise<State | MessageStatus | 'missing'> {
    const row = await model.findById(id, { status: 1, error: 1 }).lean().exec();
    if (!row) return 'missing';
    // Rows here are only ever created in one of STATES (no suppressed or received rows).
    return row.status === 'pending' && row.error ? 'pending+error' : (row.status);
  }

  /** Applies `move` to a fresh row in each state; the state each row ends in. */
  async function fromEveryState(move: (id: string) => Promise<unknown>): Promise<Record<State, string>> {
    const ended: Partial<Record<State, string>> = {};
    for (const state of STATES) {
      const id = await rowIn(state);
      await move(id);
      ended[state] = await stateOf(id);
    }
    return ended as Record<State, string>;
  }

  /** What a row in each state becomes when nothing may move it. */
  const UNCHANGED: Record<State, string> = Object.fromEntries(STATES.map((state) => [state, state])) as Record<State, string>;

  it('claim: a waiting row, or one between attempts, becomes pending without error', async () => {
    expect(await fromEveryState((id) => queue.claim(id))).toEqual({
      ...UNCHANGED,
      queued: 'pending',
      scheduled: 'pending',
      'pending+error': 'pending',
    });
  });

  it('claim of a row it cannot take answers with the row as it is, or without one', async () => {
    const id = await rowIn('sent');
    expect(await queue.claim(id)).toMatchObject({ claimed: false, row: { status: 'sent' } });
    // pending without error: an attempt is in flight (or its worker died); a second worker must not take it
    expect(await queue.claim(await rowIn('pending'))).toMatchObject({ claimed: false, row: { status: 'pending' } });
    expect(await queue.claim(new mongoose.Types.ObjectId().toHexString())).toEqual({ claimed: false });
  });

  it('cancel and failWaiting: only a waiting row moves', async () => {
    expect(await fromEveryState((id) => queue.cancel(id))).toEqual({ ...UNCHANGED, queued: 'cancelled', scheduled: 'cancelled' });
    const failWaiting = (id: string) => queue.failWaiting(new mongoose.Types.ObjectId(id), ERROR);
    expect(await fromEveryState(failWaiting)).toEqual({ ...UNCHANGED, queued: 'failed', scheduled: 'failed' });
  });

  it('failInterrupted: only a pending row without a recorded outcome, as OUTCOME_UNKNOWN', async () => {
    expect(await fromEveryState((id) => queue.failInterrupted(id, 'worker stopped'))).toEqual({ ...UNCHANGED, pending: 'failed' });
    const id = await rowIn('pending');
    await queue.failInterrupted(id, 'worker stopped');
    expect(await model.findById(id).lean()).toMatchObject({ error: { code: OUTCOME_UNKNOWN, message: 'worker stopped' } });
  });

  it('failUnfinished: any row not final yet', async () => {
    expect(await fromEveryState((id) => queue.failUnfinished(id, ERROR))).toEqual({
      ...UNCHANGED,
      queued: 'failed',
      scheduled: 'failed',
      pending: 'failed',
      'pending+error': 'failed',
    });
  });

  it('markSent: only a pending row; a final status is never overwritten', async () => {
    const markSent = (id: string) => logs.markSent(new mongoose.Types.ObjectId(id), 'SM1');
    expect(await fromEveryState(markSent)).toEqual({ ...UNCHANGED, pending: 'sent', 'pending+error': 'sent' });
    const failed = await rowIn('failed');
    await markSent(failed);
    expect((await model.findById(failed).lean())?.messageId).toBeUndefined();
  });

  it('a missing row is not written', async () => {
    const id = new mongoose.Types.ObjectId();
    expect(await queue.failUnfinished(id.toHexString(), ERROR)).toBe(false);
    await logs.markFailed(id, ERROR);
    expect(await model.countDocuments({ _id: id })).toBe(0);
  });

  it('20 concurrent claims and cancellations of one row: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await rowIn('queued');
      const attempts = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? queue.claim(id).then((claim) => (claim.claimed ? 'pending' : undefined))
          : queue.cancel(id).then(({ cancelled }) => (cancelled ? 'cancelled' : undefined)),
      );
      const winners = (await Promise.all(attempts)).filter((won) => won !== undefined);
      expect(winners).toHaveLength(1);
      expect(await stateOf(id)).toBe(winners[0]);
    }
  });

  it('concurrent outcomes of one attempt: the first is kept, the others change nothing', async () => {
    const id = new mongoose.Types.ObjectId(await rowIn('pending'));
    await Promise.all([logs.markSent(id, 'SM1'), logs.markFailed(id, ERROR), queue.failInterrupted(id.toHexString(), 'stopped')]);
    const row = await model.findById(id).lean();
    // markSent was asked first: on it both other moves find a final status.
    expect(row).toMatchObject({ status: 'sent', messageId: 'SM1' });
    expect(row?.error).toBeUndefined();
  });
});

describe('StatusUpdates strategy choice', () => {
  const uri = testDatabaseUri('status-strategy');

  /** A connection that counts the `buildInfo` commands it sends. */
  async function counted(): Promise<{ connection: Connection; model: Model<MessageLog>; buildInfos: () => number }> {
    const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, monitorCommands: true }).asPromise();
    let count = 0;
    connection.getClient().on('commandStarted', (event) => (count += event.commandName === 'buildInfo' ? 1 : 0));
    return { connection, model: connection.model<MessageLog>('MessageLog', MessageLogSchema), buildInfos: () => count };
  }

  afterAll(() => dropTestDatabase(uri));

  it('knows FerretDB from MongoDB by buildInfo, asked once', async () => {
    const { connection, model, buildInfos } = await counted();
    try {
      const statuses = new StatusUpdates(model);
      const expected = isFerretDB() ? READ_CHECK_WRITE : ATOMIC_UPDATE;
      await expect(Promise.all([statuses.strategy(), statuses.strategy()])).resolves.toEqual([expected, expected]);
      await expect(statuses.strategy()).resolves.toBe(expected);
      expect(buildInfos()).toBe(1);
    } finally {
      await connection.close();
    }
  });

  it('one choice per module: the repository and the queue share it', async () => {
    const { connection, model, buildInfos } = await counted();
    try {
      const module = await Test.createTestingModule({
        providers: [{ provide: MESSAGE_LOG_MODEL, useValue: model }, StatusUpdates, MessageLogRepository, QueuedMessageLog],
      }).compile();
      await module.init(); // onApplicationBootstrap asks the server
      const id = await module.get(MessageLogRepository).createQueued({ channel: 'sms', to: '+15550001111', provider: 'twilio' });
      await module.get(QueuedMessageLog).claim(id.toHexString());
      await module.get(MessageLogRepository).markSent(id, 'SM1');
      await module.close();
      expect(buildInfos()).toBe(1);
      expect(await model.findById(id).lean()).toMatchObject({ status: 'sent' });
    } finally {
      await connection.close();
    }
  });

  it('uses the atomic update (correct everywhere) while it cannot ask', async () => {
    const connection = mongoose.createConnection(); // never opened
    const statuses = new StatusUpdates(connection.model<MessageLog>('MessageLog', MessageLogSchema));
    await expect(statuses.strategy()).resolves.toBe(ATOMIC_UPDATE);
  });
});
