/**
 * What every plot of elbo is: a Vega-Lite specification, plain JSON that Vega-Lite compiles and
 * Vega renders (to SVG in Node, live in a page, or in a notebook). elbo builds the
 * specifications and never imports vega: rendering is the caller's choice (the command line
 * loads vega only when asked for a plot).
 */

/**
 * A Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html) as plain JSON.
 * Typed loosely on purpose, so that the package's types never require vega-lite's: cast it to
 * vega-lite's `TopLevelSpec` where that type is wanted.
 */
export interface VegaLiteSpec {
  /** The Vega-Lite JSON schema the specification follows. */
  $schema: string;
  /** Everything else: data, mark or layer, encoding, title, size, config. */
  [key: string]: unknown;
}

/** Size and title shared by every plot's options. */
export interface PlotOptions {
  /** Title above the plot. */
  title?: string;
  /** Width of the plotting area in pixels (axes, titles and legends come on top). */
  width?: number;
  /** Height of the plotting area in pixels. */
  height?: number;
}

/** The Vega-Lite version every specification is written for. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A title with an optional subtitle, as Vega-Lite takes it. */
export function titleOf(text: string | undefined, subtitle?: string): { text: string; subtitle?: string } {
  return subtitle ? { text: text ?? '', subtitle } : { text: text ?? '' };
}

/** Six significant digits: plenty for a plot, and a specification a third the size of full doubles. */
export function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}
