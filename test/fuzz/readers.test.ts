// Fuzzed data readers of the command line, called as functions: parseCsv, parseNpy and
// parseJsonRows on arbitrary text and bytes, damaged files and round trips. Each returns a
// well-formed finite matrix or throws a DataError whose message starts with the file's name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/cli/csv.js';
import { DataError } from '../../src/cli/errors.js';
import { parseJsonRows } from '../../src/cli/json.js';
import { formatNpy, parseNpy } from '../../src/cli/npy.js';
import { formatCsv } from '../../src/cli/write.js';
import { build, expectFinite, matrixCase, runs } from './fuzz.js';
import { PENDING } from './pending.js';

const FILE = 'in.dat';

/** A table or matrix the readers return: finite, rows × cols values, at least one of each. */
function expectTable(t: { data: ArrayLike<number>; rows: number; cols: number; names?: string[] | null }): void {
  expect(Number.isInteger(t.rows) && t.rows >= 1, `rows = ${t.rows}`).toBe(true);
  expect(Number.isInteger(t.cols) && t.cols >= 1, `cols = ${t.cols}`).toBe(true);
  expect(t.data.length).toBe(t.rows * t.cols);
  expectFinite(t.data, 'data');
  // A header with another number of names than columns is refused (issue 12.9, pending).
  if (!PENDING.cliReaderQuirks && t.names) expect(t.names.length).toBe(t.cols);
}

/** Calls a reader: a sound table, or a DataError naming the file. */
function read<T extends { data: ArrayLike<number>; rows: number; cols: number }>(f: () => T): T | null {
  try {
    const t = f();
    expectTable(t);
    return t;
  } catch (e) {
    if (!(e instanceof DataError)) throw new Error(`expected a DataError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    expect(e.message.startsWith(FILE), e.message).toBe(true);
    return null;
  }
}

/** Finite values as the writers print them (all magnitudes, both signs of zero). */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Text made of the characters CSV files contain, quotes only once PENDING.cliReaderQuirks is cleared. */
const csvChars = fc.constantFrom(...'0123456789.-+eE,;\t| \n\r#abc'.split(''), ...(PENDING.cliReaderQuirks ? [] : ['"', "'"]));
const csvText = fc.oneof(
  fc.array(csvChars, { maxLength: 60 }).map((cs) => cs.join('')),
  fc.string({ maxLength: 40 }).filter((s) => !PENDING.cliReaderQuirks || !s.includes('"')),
);

describe('parseCsv under fuzzed input', () => {
  it('arbitrary text: a finite table or a DataError naming the file', () => {
    fc.assert(fc.property(csvText, fc.constantFrom(undefined, true, false), (text, header) => {
      read(() => parseCsv(text, FILE, header === undefined ? {} : { header }));
    }), runs(400));
  });

  it('round trip: what formatCsv writes, parseCsv reads back exactly, whatever the magnitudes', () => {
    const m = fc.record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 4 }) })
      .chain(({ rows, cols }) => fc.array(finite, { minLength: rows * cols, maxLength: rows * cols }).map((v) => ({ data: Float64Array.from(v), rows, cols })));
    fc.assert(fc.property(m, fc.constantFrom(',', '\t', ';'), (matrix, delimiter) => {
      const t = read(() => parseCsv(formatCsv(matrix, delimiter), FILE, { header: false }));
      expect(t).not.toBeNull();
      expect(Array.from(t!.data)).toEqual(Array.from(matrix.data));
    }), runs(200));
  });
});

describe('parseNpy under fuzzed input', () => {
  const saved = matrixCase({ rows: { min: 1, max: 5 }, cols: { min: 1, max: 4 }, forms: ['f64', 'f32'], classes: ['normal', 'huge', 'tiny', 'integers'] })
    .map((c) => build(c) as { data: Float64Array | Float32Array; rows: number; cols: number })
    .filter((m) => m.data.every(Number.isFinite)); // 'huge' values overflow a Float32Array before any reader sees them

  it('round trip: formatNpy then parseNpy gives the same matrix, f64 and f32', () => {
    fc.assert(fc.property(saved, (m) => {
      const t = read(() => parseNpy(formatNpy(m), FILE));
      expect(t).not.toBeNull();
      expect(t!.data.constructor).toBe(m.data.constructor);
      expect(Array.from(t!.data)).toEqual(Array.from(m.data));
    }), runs(150));
  });

  it('arbitrary bytes, and saved files with bytes changed, cut short or extended: a finite matrix or a DataError', () => {
    const damaged = fc.tuple(saved, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.option(fc.nat()), fc.uint8Array({ maxLength: 8 }))
      .map(([m, flips, cut, tail]) => {
        const bytes = formatNpy(m);
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        const kept = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        return Uint8Array.from([...kept, ...tail]);
      });
    // Header text edits: the shape, element type and order fields rewritten.
    const shapes = ['(3, 2)', '(2,)', '()', '(0, 2)', '(1, 2, 3)', '(-1, 2)', '(2.5, 1)', '(1e9, 1e9)', '(9007199254740993, 1)', ...(PENDING.cliReaderQuirks ? [] : ['(2L, 1L)'])];
    const header = fc.record({ shape: fc.constantFrom(...shapes), descr: fc.constantFrom('<f8', '<f4', '>f8', '<i4', '|u1', ''), fortran: fc.constantFrom('False', 'True', 'x'), n: fc.nat({ max: 64 }) })
      .map(({ shape, descr, fortran, n }) => {
        const dict = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`.padEnd(117, ' ') + '\n';
        const head = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
        return Uint8Array.from([...head, ...new TextEncoder().encode(dict), ...new Uint8Array(n * 8).fill(0x3f)]);
      });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), damaged, header), (bytes) => {
      read(() => parseNpy(bytes, FILE));
    }), runs(400));
  });
});

describe('parseJsonRows under fuzzed input', () => {
  it('refuses numbers that overflow to ±Infinity, as the CSV reader does', () => {
    expect(() => parseJsonRows('[[1, 2], [1e999, 0]]', FILE)).toThrow(`${FILE}, row 2, column 1: a number that overflows to Infinity`);
    expect(() => parseJsonRows('[-1e400]', FILE)).toThrow(DataError);
  });

  it('arbitrary JSON values and text: a finite table or a DataError naming the file', () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.array(fc.oneof(finite, fc.constant('1'), fc.constant(null)), { maxLength: 4 }), { maxLength: 4 }));
    const text = fc.oneof(value.map((v) => JSON.stringify(v) ?? ''), fc.string({ maxLength: 40 }), fc.constantFrom('[[1e999]]', '[[-1e400, 1]]', '[1, [2]]', '[[1,2],[3]]', '[]', '[[]]', '{"a": 1}'));
    fc.assert(fc.property(text, (t) => {
      read(() => parseJsonRows(t, FILE));
    }), runs(400));
  });
});
