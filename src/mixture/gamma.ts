/**
 * The gamma-function family the variational mixture needs (scipy.special's digamma, gammaln,
 * betaln), in plain TypeScript: a recurrence up to an argument where the asymptotic series is
 * accurate to a unit in the last place, then that series. Accurate to about 1e-15 relative
 * (absolute near the zeros of each function, where relative accuracy has no meaning).
 */

/** ψ's asymptotic series needs x ≥ this for its 8 terms to reach 1e-17. */
const DIGAMMA_ASYMPTOTIC_MIN = 10;
/** B_2n / (2n), n = 1…8: ψ(x) ~ ln x − 1/(2x) − Σ B_2n / (2n x^2n) (Abramowitz & Stegun 6.3.18). */
const DIGAMMA_COEFFS = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12, -3617 / 8160];

/** Stirling's series needs x ≥ this for its 10 terms to reach 1e-17. */
const GAMMALN_ASYMPTOTIC_MIN = 8;
/** B_2n / (2n (2n − 1)), n = 1…10: ln Γ(x) ~ (x − ½) ln x − x + ½ ln 2π + Σ B_2n / (2n (2n − 1) x^(2n−1)) (A&S 6.1.40). */
const GAMMALN_COEFFS = [
  1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400, 43867 / 244188, -174611 / 125400,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Evaluates Σ_i c_i t^i (i from 0) by Horner's rule. */
function series(c: readonly number[], t: number): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * t + c[i];
  return s;
}

/**
 * The digamma function ψ(x) = d/dx ln Γ(x) (scipy.special.digamma). For x > 0:
 * ψ(x) = ψ(x + m) − Σ_{j<m} 1/(x + j), then the asymptotic series; for x < 0 the reflection
 * ψ(x) = ψ(1 − x) − π / tan(πx). ψ(0) = −∞; NaN at negative integers.
 *
 * @example
 * ```ts
 * digamma(1); // −0.5772156649015329 (−γ)
 * ```
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x === 0) return -Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    // tan(πx) from the fractional part keeps πx small, where tan is exact to an ulp.
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * (x - Math.floor(x)));
  }
  let shift = 0;
  while (x < DIGAMMA_ASYMPTOTIC_MIN) {
    shift += 1 / x;
    x += 1;
  }
  const t = 1 / (x * x);
  return Math.log(x) - 0.5 / x - t * series(DIGAMMA_COEFFS, t) - shift;
}

/**
 * ln |Γ(x)| (scipy.special.gammaln). For x > 0: ln Γ(x) = ln Γ(x + m) − ln(x (x + 1) … (x + m − 1)),
 * then Stirling's series; for x < 0 the reflection ln|Γ(x)| = ln(π / |sin πx|) − ln Γ(1 − x).
 * +∞ at 0 and at negative integers.
 *
 * @example
 * ```ts
 * gammaln(0.5); // 0.5723649429247001 (ln √π)
 * ```
 */
export function gammaln(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * (x - Math.floor(x))))) - gammaln(1 - x);
  }
  let logShift = 0;
  if (x < GAMMALN_ASYMPTOTIC_MIN) {
    // ln x apart, so that a subnormal x does not underflow the product.
    logShift = Math.log(x);
    let p = 1;
    for (x += 1; x < GAMMALN_ASYMPTOTIC_MIN; x += 1) p *= x;
    logShift += Math.log(p);
  }
  const t = 1 / (x * x);
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series(GAMMALN_COEFFS, t) / x - logShift;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0 (scipy.special.betaln).
 *
 * @example
 * ```ts
 * betaln(2, 3); // ln(1/12) = −2.4849066497880004
 * ```
 */
export function betaln(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}
