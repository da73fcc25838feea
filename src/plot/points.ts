/**
 * Scatter plots of data: the layer of points under a mixture's ellipses, and the plot of data
 * alone. Data with more than two columns are drawn on their first two principal axes.
 */
import { ShapeError } from '../runtime/errors.js';
import type { Matrix } from '../runtime/matrix.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { principalAxes, projectPoints } from './project.js';
import { round, titleOf, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';

/** Options of {@link pointsSpec} (and the data part of {@link mixtureSpec}'s). */
export interface ScatterOptions extends PlotOptions {
  /** Class or component of each row, for its colour (default: all one colour). */
  labels?: ArrayLike<number>;
  /** Fixed axis ranges (default: what Vega-Lite picks to cover everything drawn); marks outside are clipped. */
  domain?: {
    /** Left and right ends of the x axis. */
    x: [number, number];
    /** Bottom and top ends of the y axis. */
    y: [number, number];
  };
  /** Label of the x axis (default x₁, or 'first principal axis' when X has more than two columns). */
  xlabel?: string;
  /** Label of the y axis (default x₂, or 'second principal axis'). */
  ylabel?: string;
  /** Title of the colour legend (default 'component'). */
  legendTitle?: string;
}

/** Data as 2-D points: as they are when X has two columns, else on X's first two principal axes. */
/** The names of {@link ScatterOptions}, which mixtureSpec's list extends. */
export const SCATTER_OPTION_KEYS = optionKeys<ScatterOptions>()(['title', 'width', 'height', 'labels', 'domain', 'xlabel', 'ylabel', 'legendTitle']);

export interface Plane {
  /** The principal axes used, or null when X has two columns. */
  axes: ReturnType<typeof principalAxes> | null;
  /** N (x, y) pairs. */
  xy: Float64Array;
}

/** X on the plane it is drawn in; `who` names the caller in the error for fewer than two columns. */
export function plane(X: Matrix, who: string): Plane {
  if (X.cols < 2) throw new ShapeError(`${who}: X must have at least 2 columns to be drawn in a plane; got ${X.cols}`);
  const axes = X.cols === 2 ? null : principalAxes(X);
  return { axes, xy: projectPoints(X, axes) };
}

/** The x and y encodings every layer of a scatter shares (one scale each across layers). */
export function positionEncodings(p: Plane, o: ScatterOptions): { x: object; y: object } {
  const axis = (name: 'x' | 'y', title: string) => ({
    field: name, type: 'quantitative', title,
    scale: o.domain ? { domain: o.domain[name], nice: false, zero: false } : { zero: false },
  });
  return {
    x: axis('x', o.xlabel ?? (p.axes ? 'first principal axis' : 'x₁')),
    y: axis('y', o.ylabel ?? (p.axes ? 'second principal axis' : 'x₂')),
  };
}

/** The layer of points, coloured by label on the colour scale `colour` when labels are given. */
export function pointsLayer(p: Plane, o: ScatterOptions, colour: object | null): object {
  const n = p.xy.length / 2;
  const values = Array.from({ length: n }, (_, i) => ({
    x: round(p.xy[2 * i]), y: round(p.xy[2 * i + 1]), ...(o.labels ? { label: o.labels[i] } : {}),
  }));
  const { x, y } = positionEncodings(p, o);
  return {
    name: 'points', // layer names become class names in the rendered SVG: points_marks, contours_marks, means_marks
    data: { values },
    mark: { type: 'circle', size: 20, opacity: 0.6, clip: o.domain !== undefined, aria: false, ...(o.labels ? {} : { color: '#555' }) },
    encoding: { x, y, ...(o.labels && colour ? { color: { field: 'label', ...colour } } : {}) },
  };
}

/**
 * A colour scale over the labels drawn, in their order: the first ten get tableau10's ten
 * distinct colours (a label outside the list, such as a component too light to draw that still
 * wins a few points, takes the next colour).
 */
export function labelColours(domain: number[], legendTitle: string): object {
  return { type: 'nominal', scale: { domain, scheme: 'tableau10' }, legend: { title: legendTitle } };
}

/**
 * A Vega-Lite scatter plot of the rows of X (on their first two principal axes when X has more
 * than two columns), coloured by `labels` when given.
 *
 * @param X - N × D data, D ≥ 2.
 * @returns A Vega-Lite specification: render it with vega (see README, Plots).
 * @throws {@link ShapeError} when X has fewer than two columns or labels' length is not N.
 *
 * @example
 * ```ts
 * import { pointsSpec } from 'elbo-wasm';
 * import { loadIris } from 'elbo-wasm/datasets';
 * const { X, labels } = await loadIris();
 * const spec = pointsSpec(X, { labels, title: 'iris', legendTitle: 'species' });
 * ```
 */
export function pointsSpec(X: Matrix, options: ScatterOptions = {}): VegaLiteSpec {
  options = checkOptions(options, SCATTER_OPTION_KEYS, 'pointsSpec');
  const p = plane(X, 'pointsSpec');
  if (options.labels && options.labels.length !== X.rows) throw new ShapeError(`pointsSpec: labels must have ${X.rows} entries (one per row of X); got ${options.labels.length}`);
  const labels = options.labels ? Array.from(new Set(Array.from(options.labels))).sort((a, b) => a - b) : [];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(options.title),
    width: options.width ?? 480,
    height: options.height ?? 400,
    layer: [pointsLayer(p, options, labelColours(labels, options.legendTitle ?? 'component'))],
  };
}
