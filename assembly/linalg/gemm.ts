// General matrix multiply, C = op(A)·op(B) + beta·C, for the three forms NN, NT and TN.
//
// The classic Goto/BLIS structure: blocks of A (MC×KC) and B (KC×NC) are packed into
// contiguous panels (A in slivers of MR rows, B in slivers of NR columns, each stored k-major),
// and one register-blocked micro-kernel computes an MR×NR tile of C from a pair of slivers.
// Every form packs into the same layout, so NN, NT and TN share the micro-kernel and differ
// only in how their operands are gathered into the panels.
import { scaleOutput } from './vector';
import { PACK_A_BYTES, PACK_B_BYTES, gemmEdge, packA, packB } from '../scratch';

/** Rows of C per micro-tile. */
const MR = 4;
/** Vectors of C per micro-tile row: NR = NV · lanes (4 f64 or 8 f32 columns). */
const NV = 2;
/** Depth of a packed block, in elements. */
const KC = 256;

/**
 * The packing buffers are a compile-time reservation in the module's data segment (kernels
 * never allocate; asconfig's zeroFilledMemory keeps these zeros out of the binary): 128 KiB
 * for a block of A and 256 KiB for a block of B, 384 KiB in all. That makes MC×KC×NC
 * 64×256×128 for f64 and 128×256×256 for f32. A packed block of A stays in L2 while the
 * micro-kernel streams it against one NR-column sliver of B held in L1.
 * They live in the per-thread scratch (scratch.ts), so that every thread of the threaded build
 * packs into buffers of its own; an MR×NR edge tile (where the micro-kernel's result is merged
 * element-wise) lives there too.
 */

/** Columns of C per micro-tile for element type T. */
@inline function nrOf<T>(): i32 { return NV * (16 / sizeof<T>()); }
/** Rows of A per packed block: MC·KC elements fill PACK_A_BYTES (a multiple of MR). */
@inline function mcOf<T>(): i32 { return PACK_A_BYTES / (KC * sizeof<T>()); }
/** Columns of B per packed block: KC·NC elements fill PACK_B_BYTES (a multiple of NR). */
@inline function ncOf<T>(): i32 { return PACK_B_BYTES / (KC * sizeof<T>()); }

/** A broadcast of the T value at p into every lane (one load-and-splat instruction). */
@inline function splatAt<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(p);
  return v128.load32_splat(p);
}

/**
 * C[0:mr, 0:nr] = Ap·Bp + beta·C (beta = 0 never reads C), from an MR-row sliver of packed A
 * and an NR-column sliver of packed B, both kc deep. ldc is C's row stride in bytes.
 */
@inline
function microKernel<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, mr: i32, nr: i32, beta: T): void {
  const z = v128.splat<T>(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = splatAt<T>(ap);
    c00 = v128.add<T>(c00, v128.mul<T>(a, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a, b1));
    a = splatAt<T>(ap + sizeof<T>());
    c10 = v128.add<T>(c10, v128.mul<T>(a, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a, b1));
    a = splatAt<T>(ap + 2 * sizeof<T>());
    c20 = v128.add<T>(c20, v128.mul<T>(a, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a, b1));
    a = splatAt<T>(ap + 3 * sizeof<T>());
    c30 = v128.add<T>(c30, v128.mul<T>(a, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a, b1));
    ap += MR * sizeof<T>();
    bp += NV * 16;
  }
  if (mr == MR && nr == nrOf<T>()) {
    storeRow<T>(c, c00, c01, beta);
    storeRow<T>(c + ldc, c10, c11, beta);
    storeRow<T>(c + 2 * ldc, c20, c21, beta);
    storeRow<T>(c + 3 * ldc, c30, c31, beta);
    return;
  }
  const t = gemmEdge();
  v128.store(t, c00); v128.store(t, c01, 16);
  v128.store(t, c10, 32); v128.store(t, c11, 48);
  v128.store(t, c20, 64); v128.store(t, c21, 80);
  v128.store(t, c30, 96); v128.store(t, c31, 112);
  for (let i = 0; i < mr; i++) {
    const ci = c + <usize>i * ldc;
    const ti = t + <usize>i * 32;
    for (let j = 0; j < nr; j++) {
      const o = <usize>j * sizeof<T>();
      const v = load<T>(ti + o);
      store<T>(ci + o, beta == 0 ? v : v + beta * load<T>(ci + o));
    }
  }
}

/** C[row, 0:NR] = (v0, v1) + beta·C[row, 0:NR]; beta = 0 overwrites without reading. */
@inline
function storeRow<T>(c: usize, v0: v128, v1: v128, beta: T): void {
  if (beta != 0) {
    if (beta == 1) {
      v0 = v128.add<T>(v0, v128.load(c));
      v1 = v128.add<T>(v1, v128.load(c, 16));
    } else {
      const bv = v128.splat<T>(beta);
      v0 = v128.add<T>(v0, v128.mul<T>(bv, v128.load(c)));
      v1 = v128.add<T>(v1, v128.mul<T>(bv, v128.load(c, 16)));
    }
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
}

/**
 * Packs a block whose strip index runs along rows (the element (s, p) of the block is
 * src[s·ld + p]) into slivers of R values per depth step: dst[sliver][p][s].
 * Used for A in NN/NT (R = MR) and B in NT (R = NR). Rows past `rows` are zero-padded.
 */
@inline
function packAcross<T>(dst: usize, src: usize, ld: i32, rows: i32, kc: i32, R: i32): void {
  for (let s0 = 0; s0 < rows; s0 += R) {
    const r = min(R, rows - s0);
    for (let s = 0; s < R; s++) {
      const d = dst + <usize>s * sizeof<T>();
      if (s < r) {
        const row = src + (<usize>(s0 + s) * <usize>ld) * sizeof<T>();
        for (let p = 0; p < kc; p++) store<T>(d + <usize>(p * R) * sizeof<T>(), load<T>(row + <usize>p * sizeof<T>()));
      } else {
        for (let p = 0; p < kc; p++) store<T>(d + <usize>(p * R) * sizeof<T>(), 0);
      }
    }
    dst += <usize>(R * kc) * sizeof<T>();
  }
}

/**
 * Packs a block whose strip index runs along columns (the element (s, p) is src[p·ld + s]),
 * so each depth step copies R contiguous values: dst[sliver][p][0:R] = src[p·ld + s0 : +R].
 * Used for B in NN/TN (R = NR) and A in TN (R = MR). Columns past `cols` are zero-padded.
 */
@inline
function packAlong<T>(dst: usize, src: usize, ld: i32, cols: i32, kc: i32, R: i32): void {
  const lanes = 16 / sizeof<T>();
  for (let s0 = 0; s0 < cols; s0 += R) {
    const r = min(R, cols - s0);
    const col = src + <usize>s0 * sizeof<T>();
    if (r == R) {
      for (let p = 0; p < kc; p++) {
        const s = col + (<usize>p * <usize>ld) * sizeof<T>();
        for (let v = 0; v < R; v += lanes) {
          v128.store(dst + <usize>v * sizeof<T>(), v128.load(s + <usize>v * sizeof<T>()));
        }
        dst += <usize>R * sizeof<T>();
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = col + (<usize>p * <usize>ld) * sizeof<T>();
        for (let j = 0; j < R; j++) {
          store<T>(dst + <usize>j * sizeof<T>(), j < r ? load<T>(s + <usize>j * sizeof<T>()) : 0);
        }
        dst += <usize>R * sizeof<T>();
      }
    }
  }
}

/** Which operand is stored transposed: the three GEMM forms. */
export const FORM_NN = 0;
export const FORM_NT = 1;
export const FORM_TN = 2;

/**
 * C(m×n) = op(A)·op(B) + beta·C with op(A) m×k and op(B) k×n, over packed blocks, every
 * operand contiguous (the leading dimensions follow from m, n and k).
 */
@inline
export function gemm<T>(form: i32, a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: T): void {
  const lda = form == FORM_TN ? m : k;
  const ldb = form == FORM_NT ? k : n;
  gemmStrided<T>(form, a, b, c, m, n, k, beta, lda, ldb, n);
}

/**
 * C(m×n) = op(A)·op(B) + beta·C on sub-matrices: lda, ldb and ldc are the row strides (in
 * elements) of A, B and C as stored. form is a compile-time constant at every call site, so the
 * packing choice is resolved statically.
 *
 * Each element of C is the sum over depth blocks of KC, in order, of a register accumulation
 * from zero: it depends on k and on the values of its row of op(A) and column of op(B) only,
 * never on m, n or where the element sits in a tile. So a panel of C computed on its own (the
 * thread pool's unit of work, src/runtime/gemm.ts) holds the same bytes as the whole product.
 */
@inline
export function gemmStrided<T>(form: i32, a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, beta: T, lda: i32, ldb: i32, ldc: i32): void {
  if (m <= 0 || n <= 0) return;
  const ldcBytes = <usize>ldc * sizeof<T>();
  if (k <= 0) {
    for (let i = 0; i < m; i++) scaleOutput<T>(n, beta, c + <usize>i * ldcBytes);
    return;
  }
  const NR = nrOf<T>();
  const MC = mcOf<T>();
  const NC = ncOf<T>();
  const pA = packA(), pB = packB();
  for (let jc = 0; jc < n; jc += NC) {
    const ncb = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      if (form == FORM_NT) {
        packAcross<T>(pB, b + (<usize>jc * <usize>ldb + <usize>pc) * sizeof<T>(), ldb, ncb, kc, NR);
      } else {
        packAlong<T>(pB, b + (<usize>pc * <usize>ldb + <usize>jc) * sizeof<T>(), ldb, ncb, kc, NR);
      }
      const bta: T = pc == 0 ? beta : <T>1;
      for (let ic = 0; ic < m; ic += MC) {
        const mcb = min(MC, m - ic);
        if (form == FORM_TN) {
          packAlong<T>(pA, a + (<usize>pc * <usize>lda + <usize>ic) * sizeof<T>(), lda, mcb, kc, MR);
        } else {
          packAcross<T>(pA, a + (<usize>ic * <usize>lda + <usize>pc) * sizeof<T>(), lda, mcb, kc, MR);
        }
        for (let jr = 0; jr < ncb; jr += NR) {
          const bp = pB + <usize>(jr * kc) * sizeof<T>();
          const nrb = min(NR, ncb - jr);
          for (let ir = 0; ir < mcb; ir += MR) {
            const ap = pA + <usize>(ir * kc) * sizeof<T>();
            const cp = c + <usize>(ic + ir) * ldcBytes + <usize>(jc + jr) * sizeof<T>();
            microKernel<T>(ap, bp, kc, cp, ldcBytes, min(MR, mcb - ir), nrb, bta);
          }
        }
      }
    }
  }
}
