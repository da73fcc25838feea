/**
 * Plots from the command line: elbo's Vega-Lite specifications (src/plot/) rendered to SVG by
 * vega. vega and vega-lite (about 1 MB together) are optional peer dependencies, imported only
 * when a plot is asked for: the library never needs them, so installing elbo stays small, and
 * the command says how to add them when they are missing. A path ending in .json gets the
 * specification itself (for a notebook or the Vega editor), with no vega needed.
 */
import type { VegaLiteSpec } from '../plot/spec.js';
import { UsageError } from './errors.js';
import { writeAtomic } from './write.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/** Writes plots to files: SVG rendered by vega, or the specification as JSON (.json). */
export interface PlotWriter {
  /** Writes `spec` to `path`: its Vega-Lite JSON when the path ends in .json, else the SVG. */
  write(path: string, spec: VegaLiteSpec): Promise<void>;
  /** What `write` would put in `path`, for a command that writes all its outputs together. */
  render(path: string, spec: VegaLiteSpec): Promise<string>;
}

/** Whether a plot path asks for the specification rather than a picture. */
function wantsSpec(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

/** vega and vega-lite, or a UsageError that says how to install them. */
async function loadVega(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  try {
    const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
    return { vega, vegaLite };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new UsageError('SVG plots need the packages vega and vega-lite, which elbo does not install itself: ' +
      'run `npm install vega vega-lite` where elbo is installed, or give the plot a .json name to write its Vega-Lite specification');
  }
}

/** The SVG of a Vega-Lite specification, rendered without a browser. */
export async function renderSvg(spec: VegaLiteSpec, vega: Vega, vegaLite: VegaLite): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as Parameters<VegaLite['compile']>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A writer for the given plot paths (undefined: not asked for). Call it before a long fit, so
 * that missing vega is reported before the work, not after.
 */
export async function plotWriter(paths: Array<string | undefined>): Promise<PlotWriter> {
  const needsVega = paths.some((p) => p !== undefined && !wantsSpec(p));
  return writer(needsVega ? await loadVega() : null);
}

/** A writer of SVG plots (what `elbo demo` writes). */
export async function svgWriter(): Promise<PlotWriter> {
  return writer(await loadVega());
}

function writer(lib: { vega: Vega; vegaLite: VegaLite } | null): PlotWriter {
  const render = async (path: string, spec: VegaLiteSpec): Promise<string> => {
    if (wantsSpec(path)) return `${JSON.stringify(spec)}\n`;
    if (!lib) throw new Error(`plotWriter: ${path} was not among the paths given when the writer was made`);
    return renderSvg(spec, lib.vega, lib.vegaLite);
  };
  return {
    render,
    async write(path, spec) {
      writeAtomic(path, await render(path, spec));
    },
  };
}
