import { scanJsonText } from './json-scan.js';

describe('scanJsonText', () => {
  it('accepts ordinary JSON, the same key in sibling objects, and keys inside strings', () => {
    expect(scanJsonText('{"to":"+1","media":{"url":"u","filename":"f"},"x":[{"a":1},{"a":2}]}')).toBeUndefined();
    expect(scanJsonText('{"body":"{\\"to\\":1,\\"to\\":2}","to":"x"}')).toBeUndefined();
    expect(scanJsonText('{"a\\\\":1,"a":2}')).toBeUndefined(); // `a\` and `a` are different keys
  });

  it.each<[string, string]>([
    ['{"to":"a","body":"b","to":"c"}', 'to'],
    ['{"to":"a","\\u0074o":"c"}', 'to'],
    ['{"media":{"url":"a","url":"b"}}', 'media.url'],
    ['{"x":[1,{"a":1,"a":2}]}', 'x[1].a'],
    ['[{"a":1},{"b":[{"c":1,"c":1}]}]', '[1].b[0].c'],
  ])('finds the repeated key in %s at %s', (text, path) => {
    expect(scanJsonText(text)).toEqual({ kind: 'duplicate-key', path });
  });

  it('refuses __proto__ anywhere and constructor.prototype, as Fastify did', () => {
    expect(scanJsonText('{"a":{"__proto__":{}}}')).toEqual({ kind: 'forbidden-key', key: '__proto__' });
    expect(scanJsonText('{"constructor":{"prototype":{}}}')).toEqual({ kind: 'forbidden-key', key: 'prototype' });
    expect(scanJsonText('{"prototype":1,"x":{"prototype":2}}')).toBeUndefined();
  });

  it('stops at the limits: depth, and keys plus list items', () => {
    expect(scanJsonText('[[[1]]]', { maxDepth: 3 })).toBeUndefined();
    expect(scanJsonText('[[[[1]]]]', { maxDepth: 3 })).toEqual({ kind: 'too-deep', maxDepth: 3 });
    expect(scanJsonText('{"a":[1,2],"b":3}', { maxEntries: 4 })).toBeUndefined();
    expect(scanJsonText('{"a":[1,2,3],"b":3}', { maxEntries: 4 })).toEqual({ kind: 'too-many-entries', maxEntries: 4 });
  });

  it('costs no more than JSON.parse of the same text: 120,000 keys, ratio of one run', () => {
    const text = `{${Array.from({ length: 120_000 }, (_, i) => `"k${i}":"v\\"${i}"`).join(',')}}`;
    // The fastest of 5 interleaved runs each: the least disturbed by other processes.
    const fastest = { scan: Infinity, parse: Infinity };
    for (let i = 0; i < 5; i++) {
      let started = performance.now();
      expect(scanJsonText(text)).toBeUndefined();
      fastest.scan = Math.min(fastest.scan, performance.now() - started);
      started = performance.now();
      JSON.parse(text);
      fastest.parse = Math.min(fastest.parse, performance.now() - started);
    }
    // A quadratic duplicate check (indexOf over the keys so far) would take 7.2e9 steps here.
    expect(fastest.scan / fastest.parse).toBeLessThan(3);
  });
});
