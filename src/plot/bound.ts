/** A series per iteration (the bound, the objective) as a Vega-Lite line plot. */
import { checkOptions, optionKeys } from '../runtime/options.js';
import { round, titleOf, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';

/** Options of {@link boundSpec}. */
export interface BoundSpecOptions extends PlotOptions {
  /** Label of the x axis (default 'iteration'). */
  xlabel?: string;
  /** Label of the y axis (default 'lower bound'). */
  ylabel?: string;
}

const OPTION_KEYS = optionKeys<BoundSpecOptions>()(['title', 'width', 'height', 'xlabel', 'ylabel']);

/**
 * A Vega-Lite line plot of a series against 1, 2, 3, …: a model's `lowerBoundHistory` (or a
 * dictionary's objective per epoch). The y axis covers the series' range, not zero.
 *
 * @param history - The values per iteration (may be empty: then only the axes are drawn).
 * @returns A Vega-Lite specification: render it with vega (see README, Plots).
 *
 * @example
 * ```ts
 * import { boundSpec } from 'elbo-wasm';
 * const spec = boundSpec(gm.lowerBoundHistory, { title: 'the bound per EM iteration', ylabel: 'mean log-likelihood' });
 * ```
 */
export function boundSpec(history: ArrayLike<number>, options: BoundSpecOptions = {}): VegaLiteSpec {
  options = checkOptions(options, OPTION_KEYS, 'boundSpec');
  const xlabel = options.xlabel ?? 'iteration', ylabel = options.ylabel ?? 'lower bound';
  const values = Array.from(history, (v, i) => ({ iteration: i + 1, value: round(v) }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(options.title),
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values },
    mark: { type: 'line', point: values.length <= 60, strokeWidth: 2 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: xlabel, scale: { domain: [1, Math.max(2, values.length)], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: ylabel, scale: { zero: false } },
    },
  };
}
