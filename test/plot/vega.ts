// Compiling and rendering elbo's Vega-Lite specifications in the tests, with the same vega and
// vega-lite the command line uses (devDependencies here).
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { renderSvg } from '../../src/cli/plot.js';
import type { VegaLiteSpec } from '../../src/index.js';

/** Vega-Lite's compile, collecting its warnings and errors instead of printing them. */
export function compile(spec: VegaLiteSpec): { vg: vega.Spec; messages: string[] } {
  const messages: string[] = [];
  const record = (kind: string) => function (this: vega.LoggerInterface, ...args: unknown[]) { messages.push(`${kind}: ${args.join(' ')}`); return this; };
  const logger = { level: () => 0, error: record('error'), warn: record('warn'), info: () => logger, debug: () => logger } as unknown as vega.LoggerInterface;
  const vg = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec, { logger }).spec;
  return { vg, messages };
}

/** A headless vega View of the specification, run once (scales and scenegraph ready). */
export async function viewOf(spec: VegaLiteSpec): Promise<vega.View> {
  return new vega.View(vega.parse(compile(spec).vg), { renderer: 'none' }).runAsync();
}

/** The SVG the command line writes for the specification. */
export function svgOf(spec: VegaLiteSpec): Promise<string> {
  return renderSvg(spec, vega, vegaLite);
}

/** The number of tick marks on each axis of an SVG rendered by vega, in document order. */
export function ticksPerAxis(svg: string): number[] {
  return [...svg.matchAll(/<g class="mark-rule role-axis-tick"[^>]*>(.*?)<\/g>/g)].map((m) => (m[1].match(/<line /g) ?? []).length);
}

/** The number of mark groups of the named layer (one per line of a line mark, one for all points). */
export function markGroups(svg: string, layer: string): number {
  return (svg.match(new RegExp(`<g class="mark-[a-z]+ role-mark ${layer}_marks"`, 'g')) ?? []).length;
}
