/** Options, callbacks, statistics and the saved form of {@link KMeans}. */
import type { MatrixLike, SerializedMatrix } from '../runtime/matrix.js';

/** How initial centres are chosen: greedy k-means++, K random rows, or given centres (K × D). */
export type KMeansInit = 'k-means++' | 'random' | MatrixLike;

/**
 * 'lloyd': every row's distances to all centres each iteration. 'elkan': the same iterations
 * with Hamerly's bounds (a one-bound form of Elkan's), which skip the distances of rows whose
 * nearest centre provably did not change; labels, centres, inertia and `nIter` are identical.
 */
export type KMeansAlgorithm = 'lloyd' | 'elkan';

/** What `onIteration` receives after each Lloyd iteration. */
export interface KMeansIterationInfo {
  /** 1-based iteration within the current initialisation. */
  iteration: number;
  /**
   * Σ w_i ‖x_i − c_label‖² under the centres this iteration started from (never increases). For
   * 'lloyd' from the distances that chose the labels, ‖x‖² + ‖c‖² − 2x·c on the centred data
   * (exact to its rounding, as scikit-learn's iterations use them); the fit's `inertia` is exact.
   */
  inertia: number;
  /** Σ_k ‖c_k(new) − c_k(old)‖², compared with tol × mean feature variance. */
  centerShift: number;
  /** 0-based index of the initialisation. */
  init: number;
  /** Seconds spent choosing this initialisation's centres (k-means++ or random). */
  initSeconds: number;
}

/** Options of {@link KMeans}; names and defaults are scikit-learn's, camel-cased. */
export interface KMeansOptions {
  /** Number of clusters K (default 8). */
  nClusters?: number;
  /** Initial centres (default 'k-means++'). Given centres (K × D) imply nInit = 1. */
  init?: KMeansInit;
  /** Initialisations to run; the lowest inertia wins (default 1). */
  nInit?: number;
  /** Lloyd iterations at most per initialisation (default 300). */
  maxIter?: number;
  /** Stop when Σ_k ‖Δc_k‖² ≤ tol × (mean variance of the features) (default 1e-4). */
  tol?: number;
  /** Seed of every random choice: any safe integer (default 0). */
  seed?: number;
  /**
   * 'lloyd' (default) or 'elkan': Lloyd's iterations with Hamerly's bounds, the same results
   * bit for bit; 1.2–1.5× faster once K·D reaches about 1000 and the fit takes tens of
   * iterations, within ±10 % of 'lloyd' at K·D ≤ 256 (`npm run bench -- --suite=kmeans`).
   */
  algorithm?: KMeansAlgorithm;
  /** Called after each iteration; return false to stop the fit. */
  onIteration?: (info: KMeansIterationInfo) => boolean | void;
  /** Receives warnings (a fit that did not converge, fewer distinct clusters than K); default console.warn. */
  onWarning?: (message: string) => void;
  /** 'wasm' (default) or 'reference': the plain-TypeScript twins running the same algorithm. */
  engine?: 'wasm' | 'reference';
}

/** Options of {@link KMeans.fit}, `predict`-like methods and `partialStats`. */
export interface SampleWeightOptions {
  /** A non-negative weight per row (default 1 each); an integer weight counts as that many copies of the row. */
  sampleWeight?: Float64Array | Float32Array | number[];
}

/** Statistics of one assignment pass over a shard: what `KMeans.mStep` needs (they add). */
export interface KMeansStats {
  /** Number of clusters K. */
  nClusters: number;
  /** Number of features D. */
  nFeatures: number;
  /** Σ of the sample weights per cluster (K). */
  counts: Float64Array;
  /** Σ w_i x_i per cluster (K × D, row-major). */
  sums: Float64Array;
  /** Σ w_i ‖x_i − c_label‖² under the centres the statistics were taken with. */
  inertia: number;
  /** Number of rows seen. */
  nSamples: number;
}

/** What `KMeans.toJSON()` returns and `KMeans.fromJSON()` takes. */
export interface KMeansJSON {
  /** Identifies the model in a file. */
  kind: 'KMeans';
  /** Format version. */
  version: 1;
  /** The options (callbacks and the engine are not saved). */
  options: {
    /** Number of clusters K. */
    nClusters: number;
    /** The init option; given centres as a K × D matrix. */
    init: 'k-means++' | 'random' | SerializedMatrix;
    /** Initialisations run. */
    nInit: number;
    /** Lloyd iterations at most. */
    maxIter: number;
    /** Relative tolerance on the centre shift. */
    tol: number;
    /** Seed of the random choices. */
    seed: number;
    /** 'lloyd' or 'elkan'. */
    algorithm: KMeansAlgorithm;
  };
  /** Number of features D. */
  nFeatures: number;
  /** Cluster centres, K × D. */
  clusterCenters: SerializedMatrix;
  /** Label of each training row. */
  labels: number[];
  /** Inertia of the fit. */
  inertia: number;
  /** Iterations of the best initialisation. */
  nIter: number;
  /** Whether it converged. */
  converged: boolean;
}
