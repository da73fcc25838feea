import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elbo, scratch } from '../cli/run.js';
import {
  BinarySparseCoding, DictionaryLearning, GaussianMixture, LinearGaussian, MiniBatchDictionaryLearning, Random, ValueError,
} from '../../src/index.js';

/** The generator's seeding before seeds were widened: the low 32 bits through splitmix32. */
function oldFirstWords(seed: number, count: number): number[] {
  let x = (seed | 0) ^ 0x9e3779b9;
  const next = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = next(), s1 = next(), s2 = next(), s3 = next();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const rotl = (v: number, k: number) => (v << k) | (v >>> (32 - k));
    out.push(Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0);
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  }
  return out;
}

const words = (seed: number, count = 8) => {
  const r = new Random(seed);
  return Array.from({ length: count }, () => r.nextUint32());
};

describe('seeds', () => {
  it('keeps the streams of every seed in [−2^31, 2^31) exactly as they were', () => {
    const seeds = [0, 1, 2, 7, 42, 0x5eed, 12345, 2 ** 20, 2 ** 31 - 1, -1, -7, -(2 ** 31)];
    for (const s of seeds) expect(words(s), `seed ${s}`).toEqual(oldFirstWords(s, 8));
    const r = new Random(99);
    for (let i = 0; i < 200; i++) {
      const s = Math.floor(r.random() * 2 ** 32) - 2 ** 31;
      expect(words(s), `seed ${s}`).toEqual(oldFirstWords(s, 8));
    }
  });

  it('uses every bit of a safe integer: seeds that share their low 32 bits give different streams', () => {
    expect(words(2 ** 32)).not.toEqual(words(0));
    expect(words(2 ** 40 + 7)).not.toEqual(words(7));
    expect(words(2 ** 31)).not.toEqual(words(-(2 ** 31)));
    expect(words(-(2 ** 32) + 5)).not.toEqual(words(5));
    expect(words(Number.MAX_SAFE_INTEGER)).not.toEqual(words(-1));
    expect(words(Number.MIN_SAFE_INTEGER)).not.toEqual(words(1));
    // and the same seed still gives the same stream
    expect(words(2 ** 40 + 7)).toEqual(words(2 ** 40 + 7));
  });

  it('spreads high seeds as well as low ones: the first words of consecutive high seeds are all distinct', () => {
    const seen = new Set<number>();
    for (let k = 0; k < 1000; k++) seen.add(words(2 ** 33 + k * 2 ** 32, 1)[0]);
    expect(seen.size).toBe(1000);
  });

  it('rejects a seed that is not a safe integer, naming seed and the accepted range', () => {
    for (const bad of [NaN, 1.5, Infinity, -Infinity, 2 ** 53, -(2 ** 53), '3', null]) {
      expect(() => new Random(bad as number)).toThrow(ValueError);
      expect(() => new Random(bad as number)).toThrow(/seed must be a safe integer, −\(2\^53 − 1\) ≤ seed ≤ 2\^53 − 1/);
    }
  });

  it('is validated by every constructor and every sample(n, seed)', () => {
    const X = [[0, 1], [1, 0], [1, 1], [0.5, 0.2]];
    for (const seed of [NaN, 1.5, 2 ** 60]) {
      expect(() => new GaussianMixture({ nComponents: 1, seed })).toThrow(/seed must be a safe integer/);
      expect(() => new DictionaryLearning({ nComponents: 2, seed })).toThrow(/seed must be a safe integer/);
      expect(() => new MiniBatchDictionaryLearning({ nComponents: 2, seed })).toThrow(/seed must be a safe integer/);
      expect(() => new BinarySparseCoding({ nHidden: 2, seed })).toThrow(/seed must be a safe integer/);
      expect(() => new LinearGaussian({ nComponents: 1, seed })).toThrow(/seed must be a safe integer/);
    }
    const gm = new GaussianMixture({ nComponents: 1 }).fit(X);
    const bsc = new BinarySparseCoding({ W: [[1, 0], [0, 1]] });
    const lg = new LinearGaussian({ W: [[1], [0.5]] });
    for (const seed of [NaN, 1.5]) {
      expect(() => gm.sample(3, seed)).toThrow(ValueError);
      expect(() => bsc.sample(3, seed)).toThrow(/seed must be a safe integer/);
      expect(() => lg.sample(3, seed)).toThrow(/seed must be a safe integer/);
    }
  });

  it('gives models seeded 2^32 and 2^40 + 7 their own draws, not those of 0 and 7', () => {
    const lg = new LinearGaussian({ W: [[1], [0.5]] });
    expect(lg.sample(3, 2 ** 32).V.data).not.toEqual(lg.sample(3, 0).V.data);
    expect(lg.sample(3, 2 ** 40 + 7).V.data).not.toEqual(lg.sample(3, 7).V.data);
    const gm = new GaussianMixture({ nComponents: 1, seed: 2 ** 32 }).fit([[0, 1], [1, 0], [1, 1]]);
    expect(gm.seed).toBe(2 ** 32);
    expect(gm.sample(4).X.data).not.toEqual(gm.sample(4, 0).X.data);
    const X = [[0, 1, 2], [1, 0, 1], [1, 1, 0], [0.5, 0.2, 2], [2, 1, 0.3], [0.1, 0.9, 0.4]];
    const atoms = (seed: number) => new DictionaryLearning({ nComponents: 2, seed, maxIter: 1, onWarning: () => {} }).fit(X).components.data;
    expect(atoms(2 ** 40 + 7)).not.toEqual(atoms(7));
    expect(atoms(-3)).toEqual(atoms(-3));
  });
});

describe('seeds on the command line', () => {
  it('--seed 2^40 + 7 is its own seed, not 7; --seed 1.5 is refused', async () => {
    const { dir, cleanup } = scratch();
    try {
      const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(1.7 * i), Math.sin(0.3 * i) * 2, (i % 7) / 3].join(','));
      writeFileSync(join(dir, 'x.csv'), rows.join('\n') + '\n');
      const atoms = async (seed: string, out: string) => {
        const r = await elbo(['dictlearn', 'x.csv', '--atoms', '3', '--alpha', '0.1', '--max-iter', '1', '--seed', seed, '--out', out, '--quiet'], dir);
        expect(r.code, r.stderr).toBe(0);
        return readFileSync(join(dir, out), 'utf8');
      };
      const seven = await atoms('7', 'a.csv');
      expect(await atoms(String(2 ** 40 + 7), 'b.csv')).not.toBe(seven);
      expect(await atoms('7', 'c.csv')).toBe(seven);
      const g = await elbo(['gmm', 'x.csv', '--components', '2', '--seed', String(2 ** 32), '--out', 'm.json', '--quiet'], dir);
      expect(g.code, g.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')).options.seed).toBe(2 ** 32);
      const bad = await elbo(['dictlearn', 'x.csv', '--seed', '1.5'], dir);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/seed/);
    } finally {
      cleanup();
    }
  });
});
