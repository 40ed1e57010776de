import { ValidationError } from '../errors/messaging.errors.js';
import { templateContext } from './template-data.js';
import { parseManifest, TemplateDefinitionError, type TemplateVariable } from './template-manifest.js';

const VARIABLES: TemplateVariable[] = [
  { name: 'name', type: 'string', required: false },
  { name: 'minutes', type: 'number', required: false, min: 1, max: 10080, integer: true },
  { name: 'ratio', type: 'number', required: false },
];

function problemsOf(data: Record<string, unknown>, header: string[] = []): Record<string, string[]> {
  try {
    templateContext('t', VARIABLES, data, new Set(header));
    return {};
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fields = (error.details?.['fields'] ?? []) as { field: string; errors: string[] }[];
    return Object.fromEntries(fields.map((f) => [f.field, f.errors]));
  }
}

describe('templateContext: declared types and ranges', () => {
  it.each([5, 0, true, ['a'], { a: 1 }])('refuses %j for a string variable', (name) => {
    expect(problemsOf({ name })).toEqual({ 'data.name': ['must be a string'] });
  });

  it.each([-5, 0, 10081, 1e308, 1.5, -0.5])('refuses %j outside an integer 1..10080 variable', (minutes) => {
    expect(problemsOf({ minutes })).toEqual({ 'data.minutes': [expect.stringMatching(/^must be (an integer|at least 1|at most 10080)/)] });
  });

  it.each([1, 30, 10080])('accepts %j inside the range', (minutes) => {
    expect(problemsOf({ minutes })).toEqual({});
  });

  it.each(['30', null])('treats %j as given-but-wrong or absent as declared', (minutes) => {
    expect(problemsOf({ minutes })).toEqual(minutes === null ? {} : { 'data.minutes': ['must be a number'] });
  });

  it('keeps an unbounded number within the safe-integer magnitude, so it never prints as 1e+308', () => {
    expect(problemsOf({ ratio: 0.25 })).toEqual({});
    expect(problemsOf({ ratio: -1e308 })).toEqual({ 'data.ratio': ['must be at least -9007199254740991'] });
    expect(problemsOf({ ratio: 1e308 })).toEqual({ 'data.ratio': ['must be at most 9007199254740991'] });
  });

  it.each(['a\tb', 'a\u0085b', 'a\u2028b', 'a\nb'])('refuses %j in a variable used in the subject', (name) => {
    expect(problemsOf({ name }, ['name'])).toEqual({ 'data.name': ['must not contain line breaks or control characters (it is used in the subject)'] });
    expect(problemsOf({ name })).toEqual({});
  });
});

describe('parseManifest: number bounds', () => {
  const manifest = (spec: object) => ({ description: 'd', subject: 's', variables: { n: spec } });

  it('reads min, max and integer of a number variable', () => {
    expect(parseManifest(manifest({ type: 'number', min: 1, max: 60, integer: true }), 'x').variables).toEqual([
      { name: 'n', type: 'number', required: false, min: 1, max: 60, integer: true },
    ]);
  });

  it.each([
    [{ type: 'string', min: 1 }, 'only a number variable can have min, max or integer'],
    [{ type: 'number', min: '1' }, 'min must be a finite number'],
    [{ type: 'number', max: null }, 'max must be a finite number'],
    [{ type: 'number', min: 5, max: 1 }, 'min must not be greater than max'],
    [{ type: 'number', integer: 'yes' }, 'integer must be true or false'],
  ])('refuses %j', (spec, problem) => {
    expect(() => parseManifest(manifest(spec), 'x/template.json')).toThrow(TemplateDefinitionError);
    expect(() => parseManifest(manifest(spec), 'x/template.json')).toThrow(problem);
  });
});
