import { MAX_ECHOED_NAME_LENGTH, MAX_LISTED_FIELDS, ValidationError, type FieldError } from './messaging.errors.js';

const unknown = (count: number, name = (i: number) => `k${i}`): FieldError[] =>
  Array.from({ length: count }, (_, i) => ({ field: name(i), errors: [`property ${name(i)} should not exist`] }));

describe('ValidationError details', () => {
  it('lists every field when there are few', () => {
    const error = ValidationError.listing('Invalid request', unknown(3));
    expect(error.message).toBe('Invalid request: k0, k1, k2');
    expect(error.details).toEqual({ fields: unknown(3) });
  });

  it('lists MAX_LISTED_FIELDS fields, then counts the rest', () => {
    const error = ValidationError.listing('Invalid request', unknown(120_000));
    expect(error.details?.fields).toEqual(unknown(MAX_LISTED_FIELDS));
    expect(error.details?.omittedFields).toBe(120_000 - MAX_LISTED_FIELDS);
    expect(error.message).toBe('Invalid request: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9 and 119990 more');
  });

  it('cuts echoed names and messages short, never splitting a surrogate pair', () => {
    const long = `${'a'.repeat(MAX_ECHOED_NAME_LENGTH - 1)}👋${'b'.repeat(900_000)}`;
    const error = ValidationError.listing('Invalid request', unknown(1, () => long));
    const [field] = error.details?.fields as FieldError[];
    expect(field?.field).toBe(`${'a'.repeat(MAX_ECHOED_NAME_LENGTH - 1)}…`);
    expect(field?.errors[0]?.length).toBeLessThan(400);
    expect(JSON.stringify(error.toEnvelope()).length).toBeLessThan(1_000);
  });
});
