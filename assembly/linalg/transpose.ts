// out(n×m) = A(m×n)ᵀ, in square tiles that fit in L1 on both sides; inside a tile, L×L blocks
// (L = lanes: 2×2 for f64, 4×4 for f32) are transposed in registers with shuffles.

/** Side of a cache tile, in elements (a multiple of 4). */
const TILE = 32;

@inline
export function transpose<T>(a: usize, out: usize, m: i32, n: i32): void {
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = min(i0 + TILE, m);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = min(j0 + TILE, n);
      transposeTile<T>(a, out, m, n, i0, i1, j0, j1);
    }
  }
}

/** The tile rows i0..i1, columns j0..j1 of A, written to rows j0..j1, columns i0..i1 of out. */
@inline
function transposeTile<T>(a: usize, out: usize, m: i32, n: i32, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const L = 16 / sizeof<T>();
  const lda = <usize>n * sizeof<T>();
  const ldo = <usize>m * sizeof<T>();
  let i = i0;
  for (; i + L <= i1; i += L) {
    let j = j0;
    for (; j + L <= j1; j += L) {
      transposeBlock<T>(a + <usize>i * lda + <usize>j * sizeof<T>(), lda, out + <usize>j * ldo + <usize>i * sizeof<T>(), ldo);
    }
    for (; j < j1; j++) {
      for (let r = i; r < i + L; r++) {
        store<T>(out + <usize>j * ldo + <usize>r * sizeof<T>(), load<T>(a + <usize>r * lda + <usize>j * sizeof<T>()));
      }
    }
  }
  for (; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      store<T>(out + <usize>j * ldo + <usize>i * sizeof<T>(), load<T>(a + <usize>i * lda + <usize>j * sizeof<T>()));
    }
  }
}

/** Transposes one lanes×lanes block from src (row stride ls bytes) to dst (row stride ld). */
@inline
function transposeBlock<T>(src: usize, ls: usize, dst: usize, ld: usize): void {
  if (sizeof<T>() == 8) {
    const r0 = v128.load(src), r1 = v128.load(src + ls);
    v128.store(dst, i64x2.shuffle(r0, r1, 0, 2));
    v128.store(dst + ld, i64x2.shuffle(r0, r1, 1, 3));
    return;
  }
  const r0 = v128.load(src), r1 = v128.load(src + ls);
  const r2 = v128.load(src + 2 * ls), r3 = v128.load(src + 3 * ls);
  // Interleave pairs of rows, then pairs of pairs: [a00 a10 a01 a11] and [a20 a30 a21 a31] → [a00 a10 a20 a30].
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t2, 0, 2));
  v128.store(dst + ld, i64x2.shuffle(t0, t2, 1, 3));
  v128.store(dst + 2 * ld, i64x2.shuffle(t1, t3, 0, 2));
  v128.store(dst + 3 * ld, i64x2.shuffle(t1, t3, 1, 3));
}
