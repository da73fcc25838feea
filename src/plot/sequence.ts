/** A sequence and its decoded hidden states as a Vega-Lite plot (an HMM's Viterbi path over the data). */
import { ShapeError } from '../runtime/errors.js';
import { round, titleOf, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';

/** Options of {@link sequenceSpec}. */
export interface SequenceSpecOptions extends PlotOptions {
  /** Label of the y axis (default 'x'). */
  ylabel?: string;
}

/**
 * A Vega-Lite plot of a series x_1 … x_T (a line) with each step's point coloured by its
 * decoded state: what `hmm.decode(X).states` says about a sequence.
 *
 * @param values - The series (one feature of X), T values.
 * @param states - The state of every step, T integers.
 * @returns A Vega-Lite specification: render it with vega (see README, Plots).
 *
 * @example
 * ```ts
 * const { states } = hmm.decode(X);
 * const spec = sequenceSpec(X.map((row) => row[0]), states, { title: 'Viterbi path' });
 * ```
 */
export function sequenceSpec(values: ArrayLike<number>, states: ArrayLike<number>, options: SequenceSpecOptions = {}): VegaLiteSpec {
  if (values.length !== states.length) throw new ShapeError(`values and states must have the same length; got ${values.length} and ${states.length}`);
  const rows = Array.from(values, (v, t) => ({ t: t + 1, value: round(v), state: `state ${states[t]}` }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(options.title),
    width: options.width ?? 640,
    height: options.height ?? 240,
    data: { values: rows },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'step t' },
      y: { field: 'value', type: 'quantitative', title: options.ylabel ?? 'x', scale: { zero: false } },
    },
    layer: [
      { mark: { type: 'line', color: '#bbbbbb', strokeWidth: 1 } },
      { mark: { type: 'point', filled: true, size: 18 }, encoding: { color: { field: 'state', type: 'nominal', title: 'decoded state' } } },
    ],
  };
}
