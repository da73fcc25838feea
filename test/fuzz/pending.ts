// Input classes the fuzz suites leave out for now, each a known failure of issue 12 being fixed on
// its own branch. Every flag narrows an arbitrary; the properties themselves are the spec. After
// the fix merges, set its flag to false: the suite then tries those inputs too and must pass.
// Every class below has been fixed and is fuzzed again; the flags stay as the place to park the
// next one while its fix is under way.

export const PENDING = {
  /** Issue 12.1: Float32Array data in mixtures (diag, spherical, tied lose precision in [x, x∘x]). */
  mixtureF32: false,
  /** Issue 12.2: mixtures on data far from the origin (1e4…1e8 offsets) or of 1e±100… magnitudes. */
  mixtureScale: false,
  /** Issue 12.3–4: sparse coding and dictionary learning on entries of 1e±100… (NaN / impossible objectives). */
  sparseScale: false,
  /** Issue 12.4: BinarySparseCoding / LinearGaussian / IsingGrid / BoltzmannMachine parameters of 1e±100… (NaN, converged: true). */
  meanFieldScale: false,
  /** Issue 12.5: seeds beyond 32 bits (cut to 32 bits, or refused as ValueError today). */
  seedsBeyond32Bits: false,
  /** Issue 12.6: fits that throw part-way (a throwing onIteration / onWarning) leave the model changed. */
  transactionalFits: false,
  /** Issue 12.7: fromJSON of tampered files (missing fields, wrong types, nulls, inconsistent lengths). */
  tamperedModelFiles: false,
  /** Issue 12.9: CLI readers on quoted cells, header/column mismatches and (60L, 2L) .npy headers. */
  cliReaderQuirks: false,
} as const;
