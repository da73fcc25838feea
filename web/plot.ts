/**
 * The page's plots: elbo's Vega-Lite specifications compiled by vega-lite and drawn as SVG by a
 * vega View, one live view per element (the previous one is finalized when a new one replaces
 * it, so per-iteration redraws do not pile up listeners).
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VegaLiteSpec } from 'elbo-wasm';

const views = new Map<string, View>();

/** Draws `spec` in the element with this id, replacing what was there once the new plot is ready. */
export async function show(id: string, spec: VegaLiteSpec): Promise<View> {
  const holder = document.createElement('div');
  const view = new View(parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'svg' }).initialize(holder);
  await view.runAsync();
  document.getElementById(id)!.replaceChildren(holder);
  views.get(id)?.finalize();
  views.set(id, view);
  return view;
}

/** The data coordinates under a click on the plot in the element with this id, or null outside its plotting area. */
export function dataAt(id: string, e: MouseEvent): [number, number] | null {
  const view = views.get(id), svg = document.getElementById(id)?.querySelector('svg');
  if (!view || !svg) return null;
  // The plotting area starts at the padding plus the origin (the room autosize made for axes and titles).
  const r = svg.getBoundingClientRect(), [ox, oy] = view.origin(), pad = view.padding();
  const [left, top] = typeof pad === 'number' ? [pad, pad] : [pad.left ?? 0, pad.top ?? 0];
  const px = e.clientX - r.left - left - ox, py = e.clientY - r.top - top - oy;
  if (px < 0 || px > view.width() || py < 0 || py > view.height()) return null;
  return [view.scale('x').invert(px), view.scale('y').invert(py)];
}
