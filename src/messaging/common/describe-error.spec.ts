import { describeError, errorMessage } from './describe-error.js';

class MongoServerError extends Error {
  override readonly name = 'MongoServerError';
}

describe('describeError', () => {
  it('names the error class, for operators telling a driver error from a bug', () => {
    expect(describeError(new MongoServerError('E11000 duplicate key'))).toBe('MongoServerError: E11000 duplicate key');
  });

  it('adds a string code the way Node prints one (nodemailer EAUTH, ECONNREFUSED)', () => {
    const error = Object.assign(new Error('Invalid login: 535 Authentication failed'), { code: 'EAUTH' });
    expect(describeError(error)).toBe('Error [EAUTH]: Invalid login: 535 Authentication failed');
  });

  it('leaves numeric codes out: the message already carries them', () => {
    expect(describeError(Object.assign(new MongoServerError('E11000 duplicate key'), { code: 11000 }))).toBe(
      'MongoServerError: E11000 duplicate key',
    );
  });

  it('removes credentials a driver echoes back', () => {
    const text = describeError(new Error('connect failed: mongodb://admin:s3cr3t@db.internal:27017/app'));
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('mongodb://***:***@db.internal');
  });

  it('describes what is not an Error as text', () => {
    expect(describeError('redis://u:p@cache:6379 refused')).toBe('redis://***:***@cache:6379 refused');
  });
});

describe('errorMessage', () => {
  it('gives the message alone, redacted, for reasons stored on a job or a row', () => {
    expect(errorMessage(new MongoServerError('auth failed for Bearer abc.def'))).toBe('auth failed for Bearer ***');
    expect(errorMessage(42)).toBe('42');
  });
});
