/**
 * LISTA's parameters in the units of the user's data, their start at ISTA, and the exact
 * power-of-two rescaling into the units training runs in.
 */
import { dictionaryLipschitz, stepLipschitz } from '../sparse/lipschitz.js';
import { scalePow2 } from '../sparse/scale.js';
import { layout, type Shape } from './network.js';

/**
 * [W | S | θ] with W = Dᵀ/L (F × A), S = I − DDᵀ/L (A × A), θ = α/L: each layer is then one
 * ISTA step with sparseEncode's step 1/L (L = λ_max(DDᵀ) with its safety margin).
 */
export function istaParams(d: Float64Array, s: Shape, alpha: number): Float64Array {
  const { A, F } = s;
  const at = layout(s);
  const L = stepLipschitz(dictionaryLipschitz(d, A, F));
  const p = new Float64Array(at.size);
  for (let a = 0; a < A; a++) for (let f = 0; f < F; f++) p[at.W + f * A + a] = d[a * F + f] / L;
  for (let i = 0; i < A; i++) {
    for (let j = 0; j <= i; j++) {
      let g = 0;
      for (let f = 0; f < F; f++) g += d[i * F + f] * d[j * F + f];
      p[at.S + i * A + j] = (i === j ? 1 : 0) - g / L;
      p[at.S + j * A + i] = p[at.S + i * A + j];
    }
  }
  for (let a = 0; a < A; a++) p[at.theta + a] = alpha / L;
  return p;
}

/**
 * The parameters of the same network for X·2^{−ex} with codes Z·2^{ed−ex} (D·2^{−ed}), or back
 * with `inverse`: the layer map b = xW + zS, z = S_θ(b) is unchanged when W scales by 2^{ed},
 * θ by 2^{ed−ex} and S stays. Exact (powers of two).
 */
export function rescaleParams(p: Float64Array, s: Shape, ex: number, ed: number, inverse = false): Float64Array {
  const at = layout(s);
  const k = inverse ? -1 : 1;
  const out = p.slice();
  for (let i = at.W; i < at.S; i++) out[i] = scalePow2(p[i], k * ed);
  for (let i = at.theta; i < at.size; i++) out[i] = scalePow2(p[i], k * (ed - ex));
  return out;
}
