import { detLog } from './detmath.js';
import { checkSeed } from './validate.js';

/**
 * A small seeded pseudo-random generator (xoshiro128**, 32-bit state words, integer arithmetic
 * only), so that the same seed gives the same numbers bit for bit in Node and in browsers.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = NaN;

  /**
   * @param seed any safe integer (|seed| ≤ 2^53 − 1; default 0). Every bit of it reaches the
   * state: seeds in [−2^31, 2^31) expand their one 32-bit word with splitmix32 (the streams
   * they have always given); any other seed also has its high word expanded the same way, with
   * another increment, and folded into the state, so seeds that share their low 32 bits differ.
   * @throws ValueError when seed is not a safe integer
   */
  constructor(seed = 0) {
    checkSeed(seed);
    const lo = seed | 0;
    let x = lo ^ 0x9e3779b9;
    const next = (): number => {
      // splitmix32: spreads one seed into well-mixed state words.
      x = (x + 0x9e3779b9) | 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if (lo !== seed) {
      // The high word (exact: seed is a safe integer, so seed − lo is a multiple of 2^32).
      let y = ((seed - lo) / 4294967296) | 0;
      const nextHigh = (): number => {
        y = (y + 0x7f4a7c15) | 0;
        return mix32(y ^ 0x632be5ab);
      };
      this.s0 = (this.s0 ^ nextHigh()) >>> 0;
      this.s1 = (this.s1 ^ nextHigh()) >>> 0;
      this.s2 = (this.s2 ^ nextHigh()) >>> 0;
      this.s3 = (this.s3 ^ nextHigh()) >>> 0;
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** An independent generator in the same state: it draws the same numbers this one would next. */
  clone(): Random {
    const r = new Random(0);
    r.s0 = this.s0;
    r.s1 = this.s1;
    r.s2 = this.s2;
    r.s3 = this.s3;
    r.spareNormal = this.spareNormal;
    return r;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** A standard normal draw (Marsaglia's polar method; no trigonometry, so identical everywhere). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    // detLog, not Math.log: the same bits in every engine (see detmath.ts); sqrt is exact IEEE.
    const f = Math.sqrt((-2 * detLog(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Fills `out` with uniform draws in [lo, hi). */
  fillUniform<A extends Float64Array | Float32Array>(out: A, lo = 0, hi = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.random();
    return out;
  }

  /** Fills `out` with normal draws of the given mean and standard deviation. */
  fillNormal<A extends Float64Array | Float32Array>(out: A, mean = 0, sd = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = mean + sd * this.normal();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Draws an index from 0..p.length-1 with probabilities proportional to p (p ≥ 0, Σp > 0). */
  categorical(p: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < p.length; i++) total += p[i];
    let u = this.random() * total;
    for (let i = 0; i < p.length; i++) {
      u -= p[i];
      if (u < 0) return i;
    }
    // Rounding left u ≥ 0: return the last index with positive mass.
    for (let i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
    return p.length - 1;
  }
}

/** splitmix32's finaliser: a bijection of 32-bit words with full avalanche. */
function mix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
