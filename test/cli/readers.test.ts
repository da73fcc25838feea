// The data readers of the command line, in process: delimiter and header detection, .npy round
// trips, the JSON error locator, column selection.
import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from '../../src/cli/csv.js';
import { parseColumns } from '../../src/cli/data.js';
import { locateJsonError, parseJsonRows } from '../../src/cli/json.js';
import { formatNpy, parseNpy } from '../../src/cli/npy.js';
import { formatCsv } from '../../src/cli/write.js';

describe('CSV', () => {
  it('detects comma, tab, semicolon, bar and white space', () => {
    expect(detectDelimiter('1,2,3')).toBe(',');
    expect(detectDelimiter('1\t2\t3')).toBe('\t');
    expect(detectDelimiter('1;2;3')).toBe(';');
    expect(detectDelimiter('1|2|3')).toBe('|');
    expect(detectDelimiter('1  2 3')).toBeNull();
    for (const text of ['1,2\n3,4\n', '1\t2\n3\t4', '1;2\r\n3;4\r\n', '  1   2\n3 4\n', '1, 2\n3 ,4']) {
      expect(Array.from(parseCsv(text, 'f').data), JSON.stringify(text)).toEqual([1, 2, 3, 4]);
    }
  });

  it('takes a first line of mostly names as a header, and a line with one bad number as data', () => {
    const t = parseCsv('"sepal length","sepal width"\n5.1,3.5\n4.9,3.0\n', 'f');
    expect(t.names).toEqual(['sepal length', 'sepal width']);
    expect([t.rows, t.cols]).toEqual([2, 2]);
    expect(parseCsv('150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n', 'iris.csv').rows).toBe(1);
    expect(() => parseCsv('1,2,x\n3,4,5\n', 'f')).toThrow('f, line 1, column 3: "x" is not a number');
    expect(() => parseCsv('a,b\n1,2\n', 'f', { header: false })).toThrow('f, line 1, column 1: "a" is not a number');
    expect(parseCsv('1,2\n3,4\n', 'f', { header: true }).rows).toBe(1);
  });

  it('skips blank lines and # comments, keeping line numbers of the file', () => {
    expect(() => parseCsv('# comment\n1,2\n\n3,4\n5,6,7\n', 'f')).toThrow('f, line 5: 3 values where line 2 has 2 (ragged rows)');
  });

  it('rejects hex, NaN, Infinity and overflow, which Number() would take', () => {
    for (const bad of ['0x10', 'NaN', 'Infinity', '1e', '--1']) expect(() => parseCsv(`1,2\n1,${bad}\n`, 'f'), bad).toThrow('line 2, column 2');
    expect(() => parseCsv('1,1e999\n', 'f')).toThrow('f, line 1, column 2: 1e999 overflows to Infinity');
  });

  it('writes numbers that read back exactly', () => {
    const data = Float64Array.of(0.1, -1 / 3, 1e-300, 123456789.123, Math.PI, -0);
    const t = parseCsv(formatCsv({ data, rows: 3, cols: 2 }), 'f');
    expect(Array.from(t.data)).toEqual(Array.from(data));
  });
});

describe('.npy', () => {
  it('round-trips float64 and float32 matrices', () => {
    for (const data of [Float64Array.of(1, 2.5, -3, 1e-310, 5, 6), Float32Array.of(1, 2.5, -3, 1e-40, 5, 6)]) {
      const m = parseNpy(formatNpy({ data, rows: 2, cols: 3 }), 'f.npy');
      expect(m.data.constructor).toBe(data.constructor);
      expect([m.rows, m.cols]).toEqual([2, 3]);
      expect(Array.from(m.data)).toEqual(Array.from(data));
    }
  });

  it('pads the header to 64 bytes, as NumPy does', () => {
    const bytes = formatNpy({ data: new Float64Array(3), rows: 3, cols: 1 });
    expect((bytes.length - 24) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 80))).toContain("'shape': (3, 1)");
  });

  it('reports non-finite values with their row and column', () => {
    expect(() => parseNpy(formatNpy({ data: Float64Array.of(1, 2, 3, NaN), rows: 2, cols: 2 }), 'f.npy')).toThrow('f.npy: row 2, column 2 is NaN');
  });
});

describe('JSON', () => {
  it('reads an array of rows, or of numbers as one column', () => {
    expect(parseJsonRows('[[1,2],[3,4]]', 'f')).toMatchObject({ rows: 2, cols: 2 });
    expect(parseJsonRows('[1,2,3]', 'f')).toMatchObject({ rows: 3, cols: 1 });
  });

  it('locates syntax errors', () => {
    expect(locateJsonError('[1, 2')).toEqual({ offset: 5, expected: "',' or ']'" });
    expect(locateJsonError('{"a": 1,}')).toEqual({ offset: 8, expected: 'a "key"' });
    expect(locateJsonError('[1] x')).toEqual({ offset: 4, expected: 'the end of the text' });
    expect(locateJsonError('[01]')).toEqual({ offset: 2, expected: "',' or ']'" });
  });
});

describe('--columns', () => {
  it('selects 1-based ranges and checks them against the data', () => {
    expect(parseColumns('1-3,5', 5, 'f')).toEqual([0, 1, 2, 4]);
    expect(() => parseColumns('2-7', 5, 'f')).toThrow('f has 5 columns');
    expect(() => parseColumns('0-2', 5, 'f')).toThrow('expected 1-based columns');
  });
});
