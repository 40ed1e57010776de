import { MESSAGE_TEXT_SCHEMA_PATTERN } from './message-text-pattern.js';
import { messageTextProblem } from './text-rules.js';

const pattern = new RegExp(MESSAGE_TEXT_SCHEMA_PATTERN);

describe('MESSAGE_TEXT_SCHEMA_PATTERN: the documented part of message text', () => {
  it('promises no character of the BMP that the API refuses', () => {
    const promisedButRefused: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}`;
      if (pattern.test(text) && messageTextProblem(text, 'body') !== undefined) promisedButRefused.push(code.toString(16));
    }
    expect(promisedButRefused).toEqual([]);
  });

  it('promises ordinary text, line breaks, ZWJ and the bidi marks', () => {
    for (const text of ['Your code is 482901', 'line one\nline two\r\n\ttab', 'مرحبا\u200f', 'a\u200db', 'ÀÉÎ €']) {
      expect({ text, promised: pattern.test(text) }).toEqual({ text, promised: true });
    }
  });

  it('does not promise blank text, refused characters, or anything beyond U+FFFF', () => {
    for (const text of ['', ' \n\t', '\u00a0', 'a\u0000', 'a\u0085', 'a\u200b', 'a\u202e', 'a\u2028', 'a\ufeff', 'a\ufffe', 'a😀']) {
      expect({ text, promised: pattern.test(text) }).toEqual({ text, promised: false });
    }
  });
});
