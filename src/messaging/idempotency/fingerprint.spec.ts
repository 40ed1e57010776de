import { canonicalJson, requestFingerprint } from './fingerprint.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('is JSON.stringify for inputs whose keys are already sorted', () => {
    const sorted = { a: null, b: [true, false, 0, -1.5, 'é\u2028"\\'], c: { d: {}, e: [] }, f: '' };
    expect(canonicalJson(sorted)).toBe(JSON.stringify(sorted));
    expect(JSON.parse(canonicalJson(sorted))).toEqual(sorted);
  });

  it('ignores whitespace and key order of the JSON text a client sent', () => {
    const first = JSON.parse('{"to":"+15550001111","body":"code 1234"}') as unknown;
    const retry = JSON.parse('{\n  "body" : "code 1234",\n  "to" : "+15550001111"\n}') as unknown;
    expect(canonicalJson(retry)).toBe(canonicalJson(first));
  });

  it('tells apart what JSON tells apart: types, values, absent and null', () => {
    const variants = [{ a: 1 }, { a: '1' }, { a: true }, { a: null }, {}, { a: [1] }, { a: { b: 1 } }, { a: 1.5 }, { A: 1 }];
    const encodings = new Set(variants.map((v) => canonicalJson(v)));
    expect(encodings.size).toBe(variants.length);
    expect(canonicalJson(undefined)).toBe('');
    expect(canonicalJson(null)).toBe('null');
  });

  it('sorts keys by UTF-16 code units, the same on every machine', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
  });

  it('follows JSON.stringify for values JSON has no form for', () => {
    expect(canonicalJson({ a: undefined, b: Number.NaN, c: [undefined, Infinity] })).toBe('{"b":null,"c":[null,null]}');
  });

  it('encodes a 100,000-level nesting without recursion (such a body fits under the body limit)', () => {
    let deep: unknown = 'core';
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    const encoded = canonicalJson(deep);
    expect(encoded.length).toBeGreaterThan(400_000);
    expect(encoded).toContain('"core"');
  });

  it('keeps keys a JSON parser creates as own properties, __proto__ included', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe('requestFingerprint', () => {
  const body = { to: '+15550001111', body: 'hi' };

  it('is a sha256 hex digest, equal for the same method, route and (reordered) body', () => {
    const fingerprint = requestFingerprint('POST', '/messaging/sms', body);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint('post', '/messaging/sms', { body: 'hi', to: '+15550001111' })).toBe(fingerprint);
  });

  it('differs when the route, the method or the body differs', () => {
    const fingerprint = requestFingerprint('POST', '/messaging/sms', body);
    expect(requestFingerprint('POST', '/messaging/whatsapp', body)).not.toBe(fingerprint);
    expect(requestFingerprint('PUT', '/messaging/sms', body)).not.toBe(fingerprint);
    expect(requestFingerprint('POST', '/messaging/sms', { ...body, body: 'hi!' })).not.toBe(fingerprint);
    expect(requestFingerprint('POST', '/messaging/sms', undefined)).not.toBe(requestFingerprint('POST', '/messaging/sms', null));
  });

  it('cannot be fooled by moving text between the route and the body', () => {
    expect(requestFingerprint('POST', '/a', 'b')).not.toBe(requestFingerprint('POST', '/a\n"', 'b'));
  });
});
