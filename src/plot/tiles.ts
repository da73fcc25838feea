/** Images as a grid of tiles (dictionary atoms, digits, reconstructions) as a Vega-Lite plot. */
import { ShapeError, ValueError } from '../runtime/errors.js';
import { describe, type Matrix } from '../runtime/matrix.js';
import { checkOptions, optionKeys } from '../runtime/options.js';
import { titleOf, VEGA_LITE_SCHEMA, type PlotOptions, type VegaLiteSpec } from './spec.js';

/** Options of {@link tilesSpec}. */
export interface TilesSpecOptions extends Omit<PlotOptions, 'width' | 'height'> {
  /** Height and width of one image in pixels (default: square when the length is a square, else one row). */
  shape?: [number, number];
  /** Whether each row of the matrix is an image (default) or each column (the columns of W in binary sparse coding). */
  layout?: 'rows' | 'columns';
  /** Tiles per row of the grid (default ⌈√count⌉). */
  columns?: number;
  /** Screen pixels per image pixel (default 6). */
  pixel?: number;
  /**
   * 'diverging' (default, for atoms): each tile scaled by its largest magnitude, negative blue,
   * 0 white, positive red. 'gray' (for images): each tile from its minimum (white) to its
   * maximum (black).
   */
  colours?: 'diverging' | 'gray';
}

const OPTION_KEYS = optionKeys<TilesSpecOptions>()(['title', 'shape', 'layout', 'columns', 'pixel', 'colours']);

/** Blank image pixels between two tiles. */
const GAP = 1;

/** The default shape of an image of `length` pixels. */
function shapeOf(length: number): [number, number] {
  const s = Math.round(Math.sqrt(length));
  return s * s === length ? [s, s] : [1, length];
}

/** Pixel p of image t, whichever way the matrix holds the images. */
function pixelOf(images: Matrix, layout: 'rows' | 'columns', t: number, p: number): number {
  return layout === 'rows' ? images.data[t * images.cols + p] : images.data[p * images.cols + t];
}

/**
 * A Vega-Lite plot of images as a grid of tiles, each tile scaled on its own: the atoms of a
 * dictionary (`components`, one per row), the columns of a binary sparse coding model's W
 * (`layout: 'columns'`), or data such as the digits (`colours: 'gray'`).
 *
 * @param images - count × (h·w) (or (h·w) × count with `layout: 'columns'`), row-major pixels.
 * @returns A Vega-Lite specification: render it with vega (see README, Plots).
 * @throws {@link ShapeError} when `shape` does not match the images' length.
 *
 * @example
 * ```ts
 * import { tilesSpec } from 'elbo-wasm';
 * const spec = tilesSpec(dl.components, { shape: [8, 8], columns: 10, title: 'atoms' });
 * ```
 */
export function tilesSpec(images: Matrix, options: TilesSpecOptions = {}): VegaLiteSpec {
  options = checkOptions(options, OPTION_KEYS, 'tilesSpec');
  const layout = options.layout ?? 'rows';
  const count = layout === 'rows' ? images.rows : images.cols, length = layout === 'rows' ? images.cols : images.rows;
  const shape: unknown = options.shape ?? shapeOf(length);
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(`tilesSpec: shape must be [height, width], two positive integers; got ${Array.isArray(shape) ? `[${shape.map(describe).join(', ')}]` : describe(shape)}`);
  }
  const [h, w] = shape as [number, number];
  if (h * w !== length) throw new ShapeError(`tilesSpec: shape must multiply to the ${length} pixels of an image; got [${h}, ${w}]`);
  const cols = options.columns ?? Math.max(1, Math.ceil(Math.sqrt(count)));
  if (!(Number.isInteger(cols) && cols >= 1)) throw new ValueError(`tilesSpec: columns must be a positive integer; got ${describe(cols)}`);
  const pixel = options.pixel ?? 6, gray = options.colours === 'gray';
  if (typeof pixel !== 'number' || !(pixel > 0) || !Number.isFinite(pixel)) throw new ValueError(`tilesSpec: pixel must be a finite number > 0; got ${describe(pixel)}`);
  const rows = Math.max(1, Math.ceil(count / cols));
  const values: object[] = [];
  for (let t = 0; t < count; t++) {
    let lo = Infinity, hi = -Infinity;
    for (let p = 0; p < length; p++) { const v = pixelOf(images, layout, t, p); lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const amax = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const ox = (t % cols) * (w + GAP), oy = Math.floor(t / cols) * (h + GAP);
    for (let p = 0; p < length; p++) {
      const v = pixelOf(images, layout, t, p);
      const x = (ox + (p % w)) * pixel, y = (oy + Math.floor(p / w)) * pixel;
      // The colour value is the pixel scaled within its own tile (to [-1, 1] or [0, 1]).
      const c = gray ? (v - lo) / (hi - lo || 1) : v / amax;
      values.push({ tile: t + 1, x, x2: x + pixel, y, y2: y + pixel, c: Math.round(c * 1000) / 1000 });
    }
  }
  const W = cols * (w + GAP) - GAP, H = rows * (h + GAP) - GAP;
  // Positions are screen pixels (scale: null), so that every square is exactly pixel × pixel.
  const position = { type: 'quantitative', axis: null, scale: null };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(options.title, gray ? 'each image from its minimum (white) to its maximum (black)' : 'each tile scaled by its largest magnitude: negative blue, 0 white, positive red'),
    width: W * pixel,
    height: H * pixel,
    data: { values },
    mark: { type: 'rect', strokeWidth: 0, aria: false },
    encoding: {
      x: { field: 'x', ...position },
      x2: { field: 'x2' },
      y: { field: 'y', ...position },
      y2: { field: 'y2' },
      color: gray
        ? { field: 'c', type: 'quantitative', scale: { domain: [0, 1], range: ['white', 'black'] }, legend: null }
        : { field: 'c', type: 'quantitative', scale: { scheme: 'redblue', domain: [-1, 1], reverse: true }, legend: null },
    },
    config: { view: { stroke: null } },
  };
}
