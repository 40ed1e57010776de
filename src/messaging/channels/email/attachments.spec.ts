import { MAX_ATTACHMENT_BYTES } from '../../common/attachment-rules.js';
import { PayloadTooLargeError, ValidationError } from '../../errors/messaging.errors.js';
import { blockedExtensionSet, prepareAttachments } from './attachments.js';

const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

describe('prepareAttachments', () => {
  const defaults = blockedExtensionSet(undefined);

  it('sends cleaned names and keeps name, type and size for the log, never the content', () => {
    const prepared = prepareAttachments(
      [
        { filename: '../a.pdf', content: b64(5), contentType: 'application/pdf' },
        { filename: 'logo.png', content: b64(3), contentId: 'logo@x' },
      ],
      defaults,
    );
    expect(prepared).toEqual({
      attachments: [
        { filename: 'a.pdf', content: b64(5), contentType: 'application/pdf' },
        { filename: 'logo.png', content: b64(3), contentId: 'logo@x' },
      ],
      log: [
        { filename: 'a.pdf', contentType: 'application/pdf', size: 5 },
        { filename: 'logo.png', size: 3 },
      ],
    });
  });

  it('names every executable in a 400', () => {
    const send = () => prepareAttachments([{ filename: 'a.exe', content: b64(1) }, { filename: 'ok.txt', content: b64(1) }, { filename: 'b.PS1 ', content: b64(1) }], defaults);
    expect(send).toThrow(ValidationError);
    expect(send).toThrow('Invalid request: attachments[0].filename, attachments[2].filename');
  });

  it('refuses more than MAX_ATTACHMENT_BYTES in total with a 413, and accepts exactly that', () => {
    const half = MAX_ATTACHMENT_BYTES / 2;
    expect(prepareAttachments([{ filename: 'a', content: b64(half) }, { filename: 'b', content: b64(half) }], defaults)?.log).toHaveLength(2);
    expect(() => prepareAttachments([{ filename: 'a', content: b64(half) }, { filename: 'b', content: b64(half + 1) }], defaults)).toThrow(PayloadTooLargeError);
  });

  it('takes a configured list in place of the default, case and dots ignored', () => {
    const pdfOnly = blockedExtensionSet(['.PDF']);
    expect(() => prepareAttachments([{ filename: 'a.pdf', content: b64(1) }], pdfOnly)).toThrow(ValidationError);
    expect(prepareAttachments([{ filename: 'a.exe', content: b64(1) }], pdfOnly)?.log).toEqual([{ filename: 'a.exe', size: 1 }]);
    expect(prepareAttachments([{ filename: 'a.exe', content: b64(1) }], blockedExtensionSet([]))?.log).toHaveLength(1);
  });
});
