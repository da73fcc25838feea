/**
 * SVG plots written without a browser (hand-written SVG: a few primitives cover what elbo
 * draws, so no plotting dependency): scatter plots with Gaussian ellipses, a line plot of the
 * bound per iteration, and image tiles for dictionary atoms.
 */

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The colour used for component or class k. */
export function colour(k: number): string {
  return PALETTE[((k % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

interface Frame {
  width: number;
  height: number;
  margin: number;
  x0: number; x1: number; y0: number; y1: number;
}

function sx(f: Frame, x: number): number {
  return f.margin + ((x - f.x0) / (f.x1 - f.x0 || 1)) * (f.width - 2 * f.margin);
}
function sy(f: Frame, y: number): number {
  return f.height - f.margin - ((y - f.y0) / (f.y1 - f.y0 || 1)) * (f.height - 2 * f.margin);
}
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function num(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0';
}

function open(f: Frame, title: string): string[] {
  // data-frame lets a page map a click back to data coordinates: margin, x0, x1, y0, y1.
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="12" data-frame="${f.margin} ${f.x0} ${f.x1} ${f.y0} ${f.y1}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${f.width / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<rect x="${f.margin}" y="${f.margin}" width="${f.width - 2 * f.margin}" height="${f.height - 2 * f.margin}" fill="none" stroke="#999"/>`,
  ];
}

/** An axis end label with enough decimals to tell the two ends of the range apart. */
function tick(v: number, lo: number, hi: number): string {
  const decimals = Math.min(12, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(hi - lo) || 1))));
  return Number.isFinite(v) ? String(Number(v.toFixed(decimals))) : '0';
}

function axisLabels(f: Frame, xlabel: string, ylabel: string): string[] {
  return [
    `<text x="${f.margin}" y="${f.height - f.margin + 14}" fill="#555">${tick(f.x0, f.x0, f.x1)}</text>`,
    `<text x="${f.width - f.margin}" y="${f.height - f.margin + 14}" text-anchor="end" fill="#555">${tick(f.x1, f.x0, f.x1)}</text>`,
    `<text x="${f.margin - 4}" y="${f.height - f.margin}" text-anchor="end" fill="#555">${tick(f.y0, f.y0, f.y1)}</text>`,
    `<text x="${f.margin - 4}" y="${f.margin + 10}" text-anchor="end" fill="#555">${tick(f.y1, f.y0, f.y1)}</text>`,
    `<text x="${f.width / 2}" y="${f.height - 8}" text-anchor="middle">${esc(xlabel)}</text>`,
    `<text x="14" y="${f.height / 2}" text-anchor="middle" transform="rotate(-90 14 ${f.height / 2})">${esc(ylabel)}</text>`,
  ];
}

/** A 2-D Gaussian drawn as ellipses at the given numbers of standard deviations. */
export interface Ellipse2D {
  /** Centre (x, y). */
  mean: [number, number];
  /** Row-major 2 × 2 covariance. */
  covariance: [number, number, number, number];
  /** Opacity / weight of the component, 0–1 (default 1). */
  weight?: number;
}


/** Options of {@link scatterSvg}. */
export interface ScatterOptions {
  /** Points: N rows of (x, y). */
  points: ArrayLike<number>;
  /** Class or component of each point, for its colour (default: all grey). */
  labels?: ArrayLike<number>;
  /** Gaussians to draw, one colour per index. */
  ellipses?: Ellipse2D[];
  /** Fixed axis ranges (default: the points' range plus 5%); needed when there are no points. */
  domain?: {
    /** Left and right ends of the x axis. */
    x: [number, number];
    /** Bottom and top ends of the y axis. */
    y: [number, number];
  };
  /** Standard deviations at which ellipses are drawn (default [1, 2]). */
  sigmas?: number[];
  /** Title above the plot. */
  title?: string;
  /** Label of the x axis (default x₁). */
  xlabel?: string;
  /** Label of the y axis (default x₂). */
  ylabel?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 480). */
  height?: number;
}

/**
 * Scatter plot of 2-D points coloured by label, with each component's 1σ and 2σ ellipses.
 *
 * @example
 * ```ts
 * import { scatterSvg } from 'elbo-wasm';
 * const svg = scatterSvg({ points: [0, 0, 1, 2, 2, 1], labels: [0, 1, 1],
 *   ellipses: [{ mean: [1.5, 1.5], covariance: [0.5, 0, 0, 0.5] }], title: 'three points' });
 * ```
 */
export function scatterSvg(o: ScatterOptions): string {
  const n = o.points.length / 2;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, o.points[2 * i]); x1 = Math.max(x1, o.points[2 * i]);
    y0 = Math.min(y0, o.points[2 * i + 1]); y1 = Math.max(y1, o.points[2 * i + 1]);
  }
  if (n === 0) { x0 = y0 = -1; x1 = y1 = 1; }
  const padX = (x1 - x0) * 0.05 || 1, padY = (y1 - y0) * 0.05 || 1;
  const d = o.domain ?? { x: [x0 - padX, x1 + padX], y: [y0 - padY, y1 + padY] };
  const f: Frame = { width: o.width ?? 640, height: o.height ?? 480, margin: 48, x0: d.x[0], x1: d.x[1], y0: d.y[0], y1: d.y[1] };
  const out = open(f, o.title ?? '');
  out.push(`<g fill-opacity="0.55">`);
  for (let i = 0; i < n; i++) {
    const c = o.labels ? colour(o.labels[i]) : '#333';
    out.push(`<circle cx="${num(sx(f, o.points[2 * i]))}" cy="${num(sy(f, o.points[2 * i + 1]))}" r="2.2" fill="${c}"/>`);
  }
  out.push('</g>');
  // Ellipses are clipped to the plot area (a wide 2σ ellipse would otherwise cover the labels).
  const clip = `elbo-clip-${f.width}x${f.height}`;
  out.push(`<clipPath id="${clip}"><rect x="${f.margin}" y="${f.margin}" width="${f.width - 2 * f.margin}" height="${f.height - 2 * f.margin}"/></clipPath>`, `<g clip-path="url(#${clip})">`);
  (o.ellipses ?? []).forEach((e, k) => {
    const [a, b, , d] = e.covariance;
    // Eigen-decomposition of the symmetric 2 × 2 covariance gives the axes and the angle.
    const tr = a + d, det = a * d - b * b;
    const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
    const l1 = tr / 2 + disc, l2 = Math.max(0, tr / 2 - disc);
    const angle = (Math.atan2(l1 - a, b || 1e-300) * 180) / Math.PI;
    const scaleX = (f.width - 2 * f.margin) / (f.x1 - f.x0), scaleY = (f.height - 2 * f.margin) / (f.y1 - f.y0);
    for (const s of o.sigmas ?? [1, 2]) {
      // Draw in data coordinates inside a transform, so unequal axis scales stay right.
      out.push(
        `<g transform="translate(${num(sx(f, e.mean[0]))} ${num(sy(f, e.mean[1]))}) scale(${scaleX} ${-scaleY})">` +
        `<ellipse rx="${s * Math.sqrt(l1)}" ry="${s * Math.sqrt(l2)}" transform="rotate(${num(angle)})" fill="none" stroke="${colour(k)}" ` +
        `stroke-width="${2 / Math.sqrt(scaleX * scaleY)}" stroke-opacity="${0.35 + 0.65 * (e.weight ?? 1)}" ${s > 1 ? `stroke-dasharray="${4 / scaleX} ${3 / scaleX}"` : ''}/></g>`,
      );
    }
    out.push(`<path d="M${num(sx(f, e.mean[0]) - 5)} ${num(sy(f, e.mean[1]))}h10M${num(sx(f, e.mean[0]))} ${num(sy(f, e.mean[1]) - 5)}v10" stroke="black" stroke-width="2"/>`);
  });
  out.push('</g>');
  out.push(...axisLabels(f, o.xlabel ?? 'x₁', o.ylabel ?? 'x₂'), '</svg>');
  return out.join('\n');
}

/** Options of {@link lineSvg}. */
export interface LineOptions {
  /** The series, drawn against 1, 2, 3, … */
  y: ArrayLike<number>;
  /** Title above the plot. */
  title?: string;
  /** Label of the x axis (default 'iteration'). */
  xlabel?: string;
  /** Label of the y axis (default 'lower bound'). */
  ylabel?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 320). */
  height?: number;
}

/**
 * A line plot of a series against its 1-based index (the bound per iteration).
 *
 * @example
 * ```ts
 * import { lineSvg } from 'elbo-wasm';
 * const svg = lineSvg({ y: gm.lowerBoundHistory, title: 'the bound per EM iteration' });
 * ```
 */
export function lineSvg(o: LineOptions): string {
  const n = o.y.length;
  let y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) { y0 = Math.min(y0, o.y[i]); y1 = Math.max(y1, o.y[i]); }
  const pad = (y1 - y0) * 0.05 || 1;
  const f: Frame = { width: o.width ?? 640, height: o.height ?? 320, margin: 56, x0: 1, x1: Math.max(2, n), y0: y0 - pad, y1: y1 + pad };
  const out = open(f, o.title ?? '');
  const pts = Array.from({ length: n }, (_, i) => `${num(sx(f, i + 1))},${num(sy(f, o.y[i]))}`).join(' ');
  out.push(`<polyline points="${pts}" fill="none" stroke="${colour(0)}" stroke-width="2"/>`);
  for (let i = 0; i < n; i++) out.push(`<circle cx="${num(sx(f, i + 1))}" cy="${num(sy(f, o.y[i]))}" r="2.5" fill="${colour(0)}"/>`);
  out.push(...axisLabels(f, o.xlabel ?? 'iteration', o.ylabel ?? 'lower bound'), '</svg>');
  return out.join('\n');
}

/** Options of {@link tilesSvg}. */
export interface TilesOptions {
  /** Images, one per row, each h·w values (row-major pixels). */
  images: ArrayLike<number>;
  /** Number of images. */
  count: number;
  /** Height and width of one image in pixels. */
  shape: [number, number];
  /** Tiles per row (default ⌈√count⌉). */
  columns?: number;
  /** Pixel size of one image pixel (default 6). */
  scale?: number;
  /** Title above the tiles. */
  title?: string;
  /** 'diverging' maps 0 to grey, negative to blue, positive to red (atoms); 'gray' maps min..max to black..white. */
  colours?: 'diverging' | 'gray';
}

/**
 * Images as a grid of tiles (dictionary atoms, digits, reconstructions), each scaled on its own.
 *
 * @example
 * ```ts
 * import { tilesSvg } from 'elbo-wasm';
 * const svg = tilesSvg({ images: dl.components.data, count: 100, shape: [8, 8], title: 'atoms' });
 * ```
 */
export function tilesSvg(o: TilesOptions): string {
  const [h, w] = o.shape;
  const cols = o.columns ?? Math.ceil(Math.sqrt(o.count));
  const rows = Math.ceil(o.count / cols);
  const s = o.scale ?? 6, gap = 4, top = 28;
  const width = cols * (w * s + gap) + gap, height = top + rows * (h * s + gap) + gap;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="14" shape-rendering="crispEdges">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle">${esc(o.title ?? '')}</text>`,
  ];
  for (let t = 0; t < o.count; t++) {
    const ox = gap + (t % cols) * (w * s + gap), oy = top + Math.floor(t / cols) * (h * s + gap);
    let lo = Infinity, hi = -Infinity;
    for (let p = 0; p < h * w; p++) { const v = o.images[t * h * w + p]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const amax = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    for (let p = 0; p < h * w; p++) {
      const v = o.images[t * h * w + p];
      let fill: string;
      if ((o.colours ?? 'diverging') === 'diverging') {
        const u = v / amax;
        const r = Math.round(u > 0 ? 255 : 255 * (1 + u)), b = Math.round(u < 0 ? 255 : 255 * (1 - u)), g = Math.round(255 * (1 - Math.abs(u)));
        fill = `rgb(${r},${g},${b})`;
      } else {
        const g = Math.round((255 * (v - lo)) / (hi - lo || 1));
        fill = `rgb(${g},${g},${g})`;
      }
      out.push(`<rect x="${ox + (p % w) * s}" y="${oy + Math.floor(p / w) * s}" width="${s}" height="${s}" fill="${fill}"/>`);
    }
  }
  out.push('</svg>');
  return out.join('\n');
}
