// The M-step's scatters of a block of rows about fixed centres (full: in register tiles; diag and
// spherical: the centred moments): shared by the scatters of complete rows (mixture.ts
// scatterBlock…, diagScatterBlock…) and of rows completed per component (incomplete.ts). Not
// exported from the module.
import { scatterEdge } from './scratch';

/** Adds a 4-row × 2-vector tile to S at (i0, j0), element-wise where it crosses the edge at D. */
@inline
function addTile<T>(s: usize, D: i32, i0: i32, j0: i32, a00: v128, a01: v128, a10: v128, a11: v128, a20: v128, a21: v128, a30: v128, a31: v128): void {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  const lds = <usize>D * sz;
  if (i0 + 4 <= D && j0 + 2 * lanes <= D) {
    let p = s + <usize>i0 * lds + <usize>j0 * sz;
    v128.store(p, v128.add<T>(v128.load(p), a00)); v128.store(p, v128.add<T>(v128.load(p, 16), a01), 16);
    p += lds;
    v128.store(p, v128.add<T>(v128.load(p), a10)); v128.store(p, v128.add<T>(v128.load(p, 16), a11), 16);
    p += lds;
    v128.store(p, v128.add<T>(v128.load(p), a20)); v128.store(p, v128.add<T>(v128.load(p, 16), a21), 16);
    p += lds;
    v128.store(p, v128.add<T>(v128.load(p), a30)); v128.store(p, v128.add<T>(v128.load(p, 16), a31), 16);
    return;
  }
  const t = scatterEdge();
  v128.store(t, a00); v128.store(t, a01, 16); v128.store(t, a10, 32); v128.store(t, a11, 48);
  v128.store(t, a20, 64); v128.store(t, a21, 80); v128.store(t, a30, 96); v128.store(t, a31, 112);
  for (let i = 0; i < 4 && i0 + i < D; i++) {
    for (let j = 0; j < 2 * lanes && j0 + j < D; j++) {
      const p = s + <usize>(i0 + i) * lds + <usize>(j0 + j) * sz;
      store<T>(p, load<T>(p) + load<T>(t + <usize>(i * 2 * lanes + j) * sz));
    }
  }
}


/**
 * The 'full' M-step's scatters for a block of rows, every component at once: for each k,
 * z_n = √r_nk (x_n − c_k) (rows × Dp, Dp = D rounded up to 2·lanes, in the caller's scratch
 * `z`), then the lower triangle of S_k (D × D, at s + k·D·D) += Σ_n z_n z_nᵀ in 4 × 2-vector
 * register tiles. Only the tiles on or below the diagonal are formed; the caller mirrors the
 * lower triangle once at the end (entries above the diagonal inside diagonal tiles are junk).
 * resp is rows × K (row-major, as the E-step leaves it), centres K × D.
 */
@inline
export function scatterBlock<T>(x: usize, resp: usize, centres: usize, s: usize, z: usize, rows: i32, K: i32, D: i32): void {
  const lanes = 16 / sizeof<T>();
  const NR = 2 * lanes;
  const sz = <usize>sizeof<T>();
  const Dp = (D + NR - 1) / NR * NR;
  const ldz = <usize>Dp * sz;
  const zero = v128.splat<T>(0);
  for (let k = 0; k < K; k++) {
    const ck = centres + <usize>(k * D) * sz;
    for (let n = 0; n < rows; n++) {
      const w = <T>Math.sqrt(<f64>load<T>(resp + <usize>(n * K + k) * sz));
      const xr = x + <usize>(n * D) * sz;
      const zr = z + <usize>n * ldz;
      const vw = v128.splat<T>(w);
      let j = 0;
      for (; j + lanes <= D; j += lanes) {
        const o = <usize>j * sz;
        v128.store(zr + o, v128.mul<T>(vw, v128.sub<T>(v128.load(xr + o), v128.load(ck + o))));
      }
      for (; j < D; j++) store<T>(zr + <usize>j * sz, w * (load<T>(xr + <usize>j * sz) - load<T>(ck + <usize>j * sz)));
      for (; j < Dp; j++) store<T>(zr + <usize>j * sz, 0);
    }
    const sk = s + <usize>(k * D * D) * sz;
    for (let i0 = 0; i0 < D; i0 += 4) {
      for (let j0 = 0; j0 < i0 + 4 && j0 < D; j0 += NR) {
        let a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
        const oi = <usize>i0 * sz, oj = <usize>j0 * sz;
        for (let n = 0; n < rows; n++) {
          const zr = z + <usize>n * ldz;
          const b0 = v128.load(zr + oj), b1 = v128.load(zr + oj, 16);
          // z rows are padded to Dp ≥ i0 + 4, so rows of S past D read zeros.
          let a = v128.splat<T>(load<T>(zr + oi));
          a00 = v128.add<T>(a00, v128.mul<T>(a, b0)); a01 = v128.add<T>(a01, v128.mul<T>(a, b1));
          a = v128.splat<T>(load<T>(zr + oi + sz));
          a10 = v128.add<T>(a10, v128.mul<T>(a, b0)); a11 = v128.add<T>(a11, v128.mul<T>(a, b1));
          a = v128.splat<T>(load<T>(zr + oi + 2 * sz));
          a20 = v128.add<T>(a20, v128.mul<T>(a, b0)); a21 = v128.add<T>(a21, v128.mul<T>(a, b1));
          a = v128.splat<T>(load<T>(zr + oi + 3 * sz));
          a30 = v128.add<T>(a30, v128.mul<T>(a, b0)); a31 = v128.add<T>(a31, v128.mul<T>(a, b1));
        }
        addTile<T>(sk, D, i0, j0, a00, a01, a10, a11, a20, a21, a30, a31);
      }
    }
  }
}

/** Rows per chunk of diagScatterBlock: a chunk of x and of resp (≤ 16 KiB each at D, K ≤ 8) stays in L1 across the K passes. */
const DIAG_SCATTER_CHUNK = 256;

/**
 * The 'diag' / 'spherical' M-step's statistics for a block of rows, about fixed centres c_k:
 * s1[k,d] += Σ_n r_nk (x_nd − c_kd) and s2[k,d] += Σ_n r_nk (x_nd − c_kd)². With c_k near the new
 * mean m_k, the centred scatter Σ r (x − m)² = s2 − s1²/Σr keeps its digits, where scikit-learn's
 * Σ r x² − n m² loses them to a large mean. resp is rows × K (row-major), x rows × D, centres,
 * s1 and s2 K × D. Vectorised across features, one component at a time over chunks of rows.
 */
@inline
export function diagScatterBlock<T>(x: usize, resp: usize, centres: usize, s1: usize, s2: usize, rows: i32, K: i32, D: i32): void {
  const lanes = 16 / sizeof<T>();
  const sz = <usize>sizeof<T>();
  const ldx = <usize>D * sz;
  const ldr = <usize>K * sz;
  const zero = v128.splat<T>(0);
  for (let n0 = 0; n0 < rows; n0 += DIAG_SCATTER_CHUNK) {
    const n1 = min(rows, n0 + DIAG_SCATTER_CHUNK);
    for (let k = 0; k < K; k++) {
      const ck = centres + <usize>(k * D) * sz;
      const s1k = s1 + <usize>(k * D) * sz;
      const s2k = s2 + <usize>(k * D) * sz;
      const rk = resp + <usize>k * sz;
      let d = 0;
      for (; d + 2 * lanes <= D; d += 2 * lanes) {
        const od = <usize>d * sz;
        const c0 = v128.load(ck + od), c1 = v128.load(ck + od, 16);
        let u0 = zero, u1 = zero, v0 = zero, v1 = zero;
        for (let n = n0; n < n1; n++) {
          const r = v128.splat<T>(load<T>(rk + <usize>n * ldr));
          const xr = x + <usize>n * ldx + od;
          const t0 = v128.sub<T>(v128.load(xr), c0), t1 = v128.sub<T>(v128.load(xr, 16), c1);
          const w0 = v128.mul<T>(r, t0), w1 = v128.mul<T>(r, t1);
          u0 = v128.add<T>(u0, w0); u1 = v128.add<T>(u1, w1);
          v0 = v128.add<T>(v0, v128.mul<T>(w0, t0)); v1 = v128.add<T>(v1, v128.mul<T>(w1, t1));
        }
        v128.store(s1k + od, v128.add<T>(v128.load(s1k + od), u0)); v128.store(s1k + od, v128.add<T>(v128.load(s1k + od, 16), u1), 16);
        v128.store(s2k + od, v128.add<T>(v128.load(s2k + od), v0)); v128.store(s2k + od, v128.add<T>(v128.load(s2k + od, 16), v1), 16);
      }
      for (; d < D; d++) {
        const od = <usize>d * sz;
        const c = load<T>(ck + od);
        let u: T = 0, v: T = 0;
        for (let n = n0; n < n1; n++) {
          const t = load<T>(x + <usize>n * ldx + od) - c;
          const w = load<T>(rk + <usize>n * ldr) * t;
          u += w;
          v += w * t;
        }
        store<T>(s1k + od, load<T>(s1k + od) + u);
        store<T>(s2k + od, load<T>(s2k + od) + v);
      }
    }
  }
}
