import { performance } from 'node:perf_hooks';
import { convert } from 'html-to-text';
import { htmlTagCount, htmlToPlainText, MAX_CONVERTED_TAGS, MAX_TEXT_DEPTH } from './plain-text.js';

const nested = (depth: number, inner = 'deep') => `${'<div>'.repeat(depth)}${inner}${'</div>'.repeat(depth)}`;

describe('htmlToPlainText', () => {
  it('converts the usual mail HTML', () => {
    expect(htmlToPlainText('<h1>Hello</h1><p>Your <a href="https://x.example/r">report</a> is ready.</p>')).toBe(
      'Hello\n\nYour report [https://x.example/r] is ready.',
    );
  });

  it('converts 2,500 nested <div> (a stack overflow in html-to-text before) and keeps shallow text', () => {
    const html = `<p>Start</p>${nested(2500)}<p>End</p>`;
    const text = htmlToPlainText(html);
    expect(text).toContain('Start');
    expect(text).toContain('End');
  });

  it.each([
    ['unclosed <div>', '<div>'.repeat(MAX_CONVERTED_TAGS)],
    ['unclosed <ul><li>', '<ul><li>'.repeat(MAX_CONVERTED_TAGS / 2)],
  ])('converts the most tags allowed, %s, without throwing', (_case, html) => {
    expect(htmlTagCount(html)).toBe(MAX_CONVERTED_TAGS);
    expect(() => htmlToPlainText(html)).not.toThrow();
  });

  it(`keeps text nested up to ${MAX_TEXT_DEPTH} levels`, () => {
    expect(htmlToPlainText(nested(MAX_TEXT_DEPTH - 10, 'kept'))).toBe('kept');
  });
});

describe('htmlTagCount', () => {
  it.each([
    ['<p>a</p>', 1],
    ['<p>a<br>b<img src="x"></p>', 3],
    ['a < b and 1<2', 0],
    ['<!-- c --><!DOCTYPE html></p>', 0],
    ['<DIV><Span>', 2],
  ])('counts start tags in %j', (html, count) => {
    expect(htmlTagCount(html)).toBe(count);
  });

  it('does not compile its options again for every mail (under a quarter of the time of a fresh convert())', () => {
    // Both measured in this run, so the ratio holds on a busy machine: convert() merges the options and
    // compiles the selectors on every call, which costs far more than converting a short mail.
    const mail = (n: number) => `<h1>Order ${n}</h1><p>Track it at <a href="https://shop.example/${n}">the shop</a>.</p>`;
    const timed = (convertOne: (html: string) => string) => {
      const started = performance.now();
      for (let i = 0; i < 100; i++) convertOne(mail(i));
      return performance.now() - started;
    };
    const fresh = (html: string) => convert(html, { wordwrap: 78, selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }] });
    timed(htmlToPlainText);
    timed(fresh);
    expect(timed(htmlToPlainText) / timed(fresh)).toBeLessThan(0.25);
  });
});
