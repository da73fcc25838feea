/**
 * A fitted Gaussian mixture over its data, as a Vega-Lite specification: the points coloured by
 * component, and each component in use drawn as its mean and its 2σ contour on the plane of the
 * plot (the data's first two principal axes when D > 2).
 */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, type Matrix, type MatrixLike } from '../runtime/matrix.js';
import { ellipseContour } from './ellipse.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { SCATTER_OPTION_KEYS, labelColours, plane, pointsLayer, positionEncodings, type ScatterOptions } from './points.js';
import { projectGaussian } from './project.js';
import { round, titleOf, VEGA_LITE_SCHEMA, type VegaLiteSpec } from './spec.js';

/** What {@link mixtureSpec} needs of a fitted GaussianMixture or BayesianGaussianMixture. */
export interface MixtureLike {
  /** How `covariances` is laid out. */
  readonly covarianceType: 'full' | 'tied' | 'diag' | 'spherical';
  /** Mixing weights, K values. */
  readonly weights: Float64Array;
  /** Component means, K × D. */
  readonly means: Matrix<Float64Array>;
  /** Covariances, flat: full K·D·D, tied D·D, diag K·D, spherical K. */
  readonly covariances: Float64Array;
  /** The most probable component of each row (used for the points' colours when no labels are given). */
  predict?(X: MatrixLike): Int32Array;
}

/**
 * The weight above which a component counts as in use: a Bayesian mixture drives the weights of
 * the components it does not need towards 0 (to ~1/N and below), and those are not drawn.
 */
export const IN_USE_WEIGHT = 0.01;

/**
 * Indices of the components whose weight exceeds `minWeight` (default {@link IN_USE_WEIGHT}):
 * the components {@link mixtureSpec} draws.
 *
 * @example
 * ```ts
 * const used = componentsInUse(bgm);   // e.g. [0, 2, 5] of 10
 * ```
 */
export function componentsInUse(model: Pick<MixtureLike, 'weights'>, minWeight = IN_USE_WEIGHT): number[] {
  if (typeof minWeight !== 'number' || !(minWeight >= 0 && minWeight < 1)) throw new ValueError(`minWeight must be in [0, 1); got ${describe(minWeight)}`);
  const used: number[] = [];
  model.weights.forEach((w, k) => { if (w > minWeight) used.push(k); });
  return used;
}

/** Options of {@link mixtureSpec}. */
export interface MixtureSpecOptions extends ScatterOptions {
  /** Components with a weight at or below this are not drawn (default {@link IN_USE_WEIGHT}). */
  minWeight?: number;
  /** Standard deviations (Mahalanobis radii) of the contours drawn per component (default [2]). */
  sigmas?: number[];
}

const OPTION_KEYS = optionKeys<MixtureSpecOptions>()([...SCATTER_OPTION_KEYS, 'minWeight', 'sigmas']);

/** Component k's D × D covariance, whatever the layout. */
function covarianceOf(model: MixtureLike, k: number, D: number): Float64Array {
  const cov = model.covariances, S = new Float64Array(D * D);
  for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) {
    S[a * D + b] = model.covarianceType === 'full' ? cov[k * D * D + a * D + b]
      : model.covarianceType === 'tied' ? cov[a * D + b]
      : a !== b ? 0 : model.covarianceType === 'diag' ? cov[k * D + a] : cov[k];
  }
  return S;
}

/**
 * A Vega-Lite plot of a fitted Gaussian mixture over its data: the rows of X (on their first
 * two principal axes when D > 2) coloured by `labels` (default: the model's `predict(X)`),
 * and for each component in use (weight above `minWeight`) its mean (a cross) and its
 * contours at `sigmas` standard deviations (default the 2σ contour) of the Gaussian projected
 * on the plane. The subtitle says how many of the K components are drawn and why.
 *
 * @param model - A fitted mixture (or anything with `covarianceType`, `weights`, `means`, `covariances`).
 * @param X - N × D data, D ≥ 2 (the model's feature count).
 * @returns A Vega-Lite specification: render it with vega (see README, Plots).
 * @throws {@link ShapeError} when X's columns do not match the model's means, or labels' length is not N.
 *
 * @example
 * ```ts
 * import { init, GaussianMixture, mixtureSpec } from 'elbo-wasm';
 * import { loadIris } from 'elbo-wasm/datasets';
 * await init();
 * const { X } = await loadIris();
 * const gm = new GaussianMixture({ nComponents: 3 }).fit(X);
 * const spec = mixtureSpec(gm, X, { title: 'iris' }); // JSON for vega-lite, vega-embed, a notebook
 * ```
 */
export function mixtureSpec(model: MixtureLike, X: Matrix, options: MixtureSpecOptions = {}): VegaLiteSpec {
  options = checkOptions(options, OPTION_KEYS, 'mixtureSpec');
  const K = model.weights.length, D = model.means.cols;
  if (X.cols !== D) throw new ShapeError(`mixtureSpec: X must have ${D} columns (the model's means have ${D}); got ${X.cols}`);
  const labels = options.labels ?? model.predict?.(X);
  if (labels && labels.length !== X.rows) throw new ShapeError(`mixtureSpec: labels must have ${X.rows} entries (one per row of X); got ${labels.length}`);
  const sigmas = options.sigmas ?? [2];
  if (!Array.isArray(sigmas) || !sigmas.every((s) => s > 0 && Number.isFinite(s))) throw new ValueError(`mixtureSpec: sigmas must be an array of positive numbers; got ${Array.isArray(sigmas) ? `[${sigmas.join(', ')}]` : describe(sigmas)}`);
  const minWeight = options.minWeight ?? IN_USE_WEIGHT;
  const used = componentsInUse(model, minWeight);
  const p = plane(X, 'mixtureSpec');
  const o = { ...options, labels };
  const { x, y } = positionEncodings(p, o);
  const colour = labelColours(used, options.legendTitle ?? 'component');
  const means: object[] = [], contours: object[] = [];
  for (const k of used) {
    const e = projectGaussian(model.means.data.subarray(k * D, (k + 1) * D), covarianceOf(model, k, D), D, p.axes);
    means.push({ x: round(e.mean[0]), y: round(e.mean[1]), label: k, weight: round(model.weights[k]) });
    for (const s of sigmas) {
      const xy = ellipseContour(e, s);
      for (let i = 0; i < xy.length / 2; i++) contours.push({ x: round(xy[2 * i]), y: round(xy[2 * i + 1]), label: k, sigma: s, order: i });
    }
  }
  const clip = options.domain !== undefined;
  const subtitle = `${used.length === K ? `${K}` : `${used.length} of ${K}`} component${K === 1 ? '' : 's'}` +
    `${used.length === K ? '' : ` in use (weight > ${minWeight})`}; ` +
    `contour${sigmas.length === 1 ? '' : 's'} at ${sigmas.map((s) => `${s}σ`).join(' and ')}`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(options.title, subtitle),
    width: options.width ?? 480,
    height: options.height ?? 400,
    layer: [
      pointsLayer(p, o, colour),
      {
        name: 'contours',
        data: { values: contours },
        mark: { type: 'line', strokeWidth: 2, clip },
        encoding: {
          x, y, color: { field: 'label', ...colour },
          detail: [{ field: 'label' }, { field: 'sigma' }],
          order: { field: 'order', type: 'quantitative' },
          ...(sigmas.length > 1 ? { strokeDash: { field: 'sigma', type: 'ordinal', title: 'contour (σ)' } } : {}),
        },
      },
      {
        name: 'means',
        data: { values: means },
        mark: { type: 'point', shape: 'cross', filled: true, size: 140, color: 'black', clip },
        encoding: {
          x, y,
          tooltip: [
            { field: 'label', type: 'nominal', title: 'component' }, { field: 'weight', type: 'quantitative', format: '.3f' },
            { field: 'x', type: 'quantitative', format: '.3~g' }, { field: 'y', type: 'quantitative', format: '.3~g' },
          ],
        },
      },
    ],
  };
}
