import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, toMatrix, toVector, zeros } from '../../src/index.js';

describe('matrix arguments', () => {
  it('accepts number[][] and copies it row-major into a Float64Array', () => {
    const m = toMatrix([[1, 2, 3], [4, 5, 6]], 'X');
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('returns a Matrix as given, keeping its element type', () => {
    const x = { data: new Float32Array(6), rows: 3, cols: 2 };
    expect(toMatrix(x, 'X')).toBe(x);
  });

  it('names ragged rows', () => {
    expect(() => toMatrix([[1, 2], [3]], 'X')).toThrow(ShapeError);
    expect(() => toMatrix([[1, 2], [3]], 'X')).toThrow('X must have rows of equal length; row 0 has 2 values but row 1 has 1');
  });

  it('names a data length that does not match rows × cols', () => {
    expect(() => toMatrix({ data: new Float64Array(5), rows: 2, cols: 3 }, 'X')).toThrow(
      'X.data must hold rows × cols = 2 × 3 = 6 values; got 5',
    );
  });

  it('names the first NaN or Infinity with its position', () => {
    expect(() => toMatrix([[1, 2], [3, NaN]], 'X')).toThrow(ValueError);
    expect(() => toMatrix([[1, 2], [3, NaN]], 'X')).toThrow('X[1][1] is NaN');
    const d = new Float32Array([0, 0, 0, Infinity]);
    expect(() => toMatrix({ data: d, rows: 2, cols: 2 }, 'V')).toThrow('V must contain only finite values; V[1][1] is Infinity');
  });

  it('refuses empty data and wrong column counts', () => {
    expect(() => toMatrix([], 'X')).toThrow('X must have at least 1 row; got 0');
    expect(() => toMatrix([[1, 2]], 'X', { cols: 3, colsReason: 'the model was fitted on 3' })).toThrow(
      'X must have 3 columns (the model was fitted on 3); got 2',
    );
    expect(() => toMatrix('abc', 'X')).toThrow(ShapeError);
    expect(() => toMatrix([[1, '2']], 'X')).toThrow('X[0][1] must be a number; got "2"');
  });

  it('checks vectors for length and finiteness', () => {
    expect(Array.from(toVector([1, 2], 'w', 2))).toEqual([1, 2]);
    expect(() => toVector([1, 2], 'w', 3)).toThrow('w must have length 3; got 2');
    expect(() => toVector(new Float64Array([1, -Infinity]), 'w')).toThrow('w[1] is -Infinity');
  });

  it('makes zero matrices of either element type', () => {
    expect(zeros(2, 3, 'f32').data).toBeInstanceOf(Float32Array);
    expect(zeros(2, 3).data.length).toBe(6);
  });
});
