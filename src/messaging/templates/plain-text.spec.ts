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
});
