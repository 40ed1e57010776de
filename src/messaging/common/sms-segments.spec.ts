import { SegmentedMessage } from 'sms-segments-calculator';
import { countSmsSegments } from './sms-segments.js';

describe('countSmsSegments (GSM 03.38)', () => {
  it.each<[string, string, string, number]>([
    ['160 GSM-7 characters: one part', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM-7 characters: two parts of up to 153', 'a'.repeat(161), 'GSM-7', 2],
    ['306 GSM-7 characters: two full parts', 'a'.repeat(306), 'GSM-7', 2],
    ['307 GSM-7 characters: a third part', 'a'.repeat(307), 'GSM-7', 3],
    ['accented letters of the basic table stay GSM-7', 'é'.repeat(160), 'GSM-7', 1],
    ['line breaks are GSM-7', 'a\nb\r\nc', 'GSM-7', 1],
    ['80 extension characters take 160 septets', '€'.repeat(80), 'GSM-7', 1],
    ['81 extension characters take 162 septets', '€'.repeat(81), 'GSM-7', 2],
    ['159 letters and one [ take 161 septets', `${'a'.repeat(159)}[`, 'GSM-7', 2],
    ['70 UCS-2 characters: one part', 'ж'.repeat(70), 'UCS-2', 1],
    ['71 UCS-2 characters: two parts of up to 67', 'ж'.repeat(71), 'UCS-2', 2],
    ['134 UCS-2 characters: two full parts', 'ж'.repeat(134), 'UCS-2', 2],
    ['135 UCS-2 characters: a third part', 'ж'.repeat(135), 'UCS-2', 3],
    ['one emoji makes the whole text UCS-2 and counts two units', `${'a'.repeat(68)}😀`, 'UCS-2', 1],
    ['an emoji past unit 70', `${'a'.repeat(69)}😀`, 'UCS-2', 2],
  ])('%s', (_case, text, encoding, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding, segments });
  });

  it('never splits an escape pair: 152 letters, €, 152 letters need three parts, not two', () => {
    // 306 septets would fill two parts of 153 exactly, but the first part ends after 152 letters (the
    // escape pair does not fit in the one septet left), which pushes the last letter into a third.
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual({ encoding: 'GSM-7', segments: 3 });
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(151)}`)).toEqual({ encoding: 'GSM-7', segments: 2 });
  });

  it('never splits a surrogate pair: 66 letters, an emoji, 66 letters need three UCS-2 parts', () => {
    expect(countSmsSegments(`${'ж'.repeat(66)}😀${'ж'.repeat(66)}`)).toEqual({ encoding: 'UCS-2', segments: 3 });
    expect(countSmsSegments(`${'ж'.repeat(66)}😀${'ж'.repeat(65)}`)).toEqual({ encoding: 'UCS-2', segments: 2 });
  });

  it("answers as the calculator on the plain-ASCII fast path, and leaves everything else to it", () => {
    const alphabet = 'Ab9 \n\r!"#$%&\'()*+,-./:;<=>?@_';
    const calculator = (text: string) => {
      const message = new SegmentedMessage(text, 'auto', false);
      return { encoding: message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2', segments: message.segmentsCount };
    };
    for (let length = 1; length <= 480; length++) {
      const text = Array.from({ length }, (_, i) => alphabet[(i * 7 + length) % alphabet.length]).join('');
      expect([length, countSmsSegments(text)]).toEqual([length, calculator(text)]);
    }
    for (const odd of ['`', '[', '~', '€', 'é', '😀']) {
      const text = `${'a'.repeat(159)}${odd}`;
      expect([odd, countSmsSegments(text)]).toEqual([odd, calculator(text)]);
    }
  });
});
