/** Several methods' progress against the work they spent, as one Vega-Lite line plot. */
import { round, titleOf, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';

/** One method's curve: its value (an objective, an error) after each amount of work. */
export interface WorkSeries {
  /** The legend's label, e.g. 'ISTA' or 'LISTA'. */
  name: string;
  /** Work spent: iterations, layers, sweeps, seconds (same length as `value`). */
  work: ArrayLike<number>;
  /** The value reached after that much work. */
  value: ArrayLike<number>;
}

/** Options of {@link workSpec}. */
export interface WorkSpecOptions extends PlotOptions {
  /** Label of the x axis (default 'iterations (layers for learned encoders)'). */
  xlabel?: string;
  /** Label of the y axis (default 'objective'). */
  ylabel?: string;
  /** A log-scaled y axis (default false; needs values > 0). */
  logY?: boolean;
}

/**
 * A Vega-Lite line plot of each series' value against its work, one coloured line per series:
 * for instance the mean lasso objective of ISTA, FISTA and coordinate descent after k
 * iterations beside LISTA after T = 1, 2, 3 layers. Non-finite points are left out.
 *
 * @param series - The curves (names should differ: they make the legend).
 * @returns A Vega-Lite specification: render it with vega (see README, Plots).
 *
 * @example
 * ```ts
 * import { workSpec } from 'elbo-wasm';
 * const spec = workSpec([
 *   { name: 'ISTA', work: [1, 2, 3], value: [0.9, 0.7, 0.6] },
 *   { name: 'LISTA', work: [1, 2, 3], value: [0.6, 0.45, 0.41] },
 * ], { title: 'objective against work', logY: true });
 * ```
 */
export function workSpec(series: readonly WorkSeries[], options: WorkSpecOptions = {}): VegaLiteSpec {
  const values: { method: string; work: number; value: number }[] = [];
  for (const s of series) {
    const n = Math.min(s.work.length, s.value.length);
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(s.work[i]) && Number.isFinite(s.value[i]) && (!options.logY || s.value[i] > 0)) {
        values.push({ method: s.name, work: s.work[i], value: round(s.value[i]) });
      }
    }
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(options.title),
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'work', type: 'quantitative', title: options.xlabel ?? 'iterations (layers for learned encoders)' },
      y: { field: 'value', type: 'quantitative', title: options.ylabel ?? 'objective', scale: options.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'method', type: 'nominal', title: null, sort: series.map((s) => s.name) },
    },
  };
}
