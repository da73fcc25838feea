// Power-of-two rescaling: scaleInPlace gives, element for element, the bits of scalePow2, for
// exponents whose power fits f64 and for those that need two steps, over normal, subnormal,
// huge, signed-zero and non-finite values, in f64 and f32.
import { describe, expect, it } from 'vitest';
import { scaleInPlace, scalePow2, scaledCopy } from '../../src/sparse/scale.js';

const VALUES = [0, -0, 1, -1, 0.1, 3.5e-310, -5e-324, 1.7e308, -2.2e-308, 123456.789, Infinity, -Infinity, NaN, 2 ** -1022, 0.75];
const EXPONENTS = [0, 1, -1, 3, -3, 52, -1074, 1000, -1000, 1001, -1001, 1100, -1100, 2000, -2098];

describe('scaleInPlace', () => {
  it.each(EXPONENTS)('times 2^%i has the bits of scalePow2 per element (f64)', (e) => {
    const a = Float64Array.from(VALUES);
    scaleInPlace(a, e);
    expect(Array.from(a)).toEqual(VALUES.map((v) => scalePow2(v, e)));
  });

  it.each(EXPONENTS)('times 2^%i has the bits of scalePow2 rounded to f32 (f32)', (e) => {
    const a = Float32Array.from(VALUES);
    const expected = Array.from(Float32Array.from(Float32Array.from(VALUES), (v) => scalePow2(v, e)));
    scaleInPlace(a, e);
    expect(Array.from(a)).toEqual(expected);
  });

  it('scaledCopy leaves its input alone and returns the scaled copy in the same element type', () => {
    const a = Float32Array.from([1, 2, 3]);
    const b = scaledCopy(a, 4);
    expect(b).toBeInstanceOf(Float32Array);
    expect(Array.from(b)).toEqual([16, 32, 48]);
    expect(Array.from(a)).toEqual([1, 2, 3]);
  });
});
