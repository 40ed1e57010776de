import { inputShapeProblem, MAX_INPUT_DEPTH, MAX_INPUT_ENTRIES } from './input-shape.js';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('inputShapeProblem', () => {
  it('accepts ordinary requests, emoji and other well-formed text included', () => {
    expect(inputShapeProblem({ to: ['a@example.com'], data: { name: 'Zoë 👋 مرحبا' } })).toBeUndefined();
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH))).toBeUndefined();
  });

  it('refuses nesting deeper than the limit without recursing (100,000 levels)', () => {
    expect(inputShapeProblem(nested(MAX_INPUT_DEPTH + 1))).toMatch(/nested more than 16 levels/);
    expect(inputShapeProblem(nested(100_000))).toMatch(/nested/);
  });

  it.each(['a\ud800b', '\udc00', 'x\ud83d'])('refuses the lone surrogate in %j, in values and in keys', (text) => {
    expect(inputShapeProblem({ body: text })).toMatch(/not valid Unicode/);
    expect(inputShapeProblem({ data: { [text]: 'x' } })).toMatch(/key that is not valid Unicode/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %j at any depth', (key) => {
    const data: Record<string, unknown> = JSON.parse(`{"data":{"${key}":"x"}}`) as Record<string, unknown>;
    expect(inputShapeProblem(data)).toBe(`Request contains the forbidden key "${key}"`);
  });

  it('counts keys and list items of every object and list together, up to MAX_INPUT_ENTRIES', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0]));
    expect(inputShapeProblem({ a: keys(MAX_INPUT_ENTRIES - 3), b: [1] })).toBeUndefined();
    expect(inputShapeProblem({ a: keys(MAX_INPUT_ENTRIES - 2), b: [1] })).toMatch(/more than 1000 keys and list items/);
    expect(inputShapeProblem({ to: new Array<number>(MAX_INPUT_ENTRIES).fill(0) })).toMatch(/more than 1000/);
    expect(inputShapeProblem([{ a: keys(600) }, { b: keys(600) }])).toMatch(/more than 1000/);
  });
});
