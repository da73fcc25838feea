// digamma, gammaln and betaln against 40-digit values from mpmath 1.2.1 (mp.digamma, mp.loggamma,
// mp.log(mp.beta)), rounded to the nearest double.
import { describe, expect, it } from 'vitest';
import { betaln, digamma, gammaln } from '../../src/mixture/gamma.js';

const DIGAMMA: [number, number][] = [
  [1e-300, -9.999999999999999e+299], [1e-10, -10000000000.577215], [0.001, -1000.5755719318103],
  [0.1, -10.423754940411076], [0.25, -4.2274535333762655], [0.5, -1.9635100260214235],
  [1, -0.5772156649015329], [1.4616321449683622, -9.241265521729427e-17], [1.5, 0.03648997397857652],
  [2, 0.42278433509846713], [2.5, 0.7031566406452432], [3, 0.9227843350984671], [5.5, 1.6110931485817512],
  [7.999, 2.015508332090348], [8, 2.01564147795561], [9.75, 2.225109535044576], [10, 2.251752589066721],
  [12.5, 2.4851956512749123], [33.3, 3.490467238520243], [100, 4.600161852738087], [1234.5, 7.118016231827998],
  [1e5, 11.512920464961896], [1e8, 18.420680738952367], [1e15, 34.538776394910684],
  [-0.5, 0.03648997397857652], [-1.5, 0.7031566406452432], [-2.25, 4.158583564657972], [-10.1, 12.030052248548309],
];

const GAMMALN: [number, number][] = [
  [1e-300, 690.7755278982137], [1e-10, 23.025850929882736], [0.001, 6.907178885383853], [0.1, 2.252712651734206],
  [0.25, 1.2880225246980774], [0.5, 0.5723649429247001], [1, 0], [1.4616321449683622, -0.12148629053584961],
  [1.5, -0.12078223763524522], [2, 0], [2.5, 0.2846828704729192], [3, 0.6931471805599453], [5.5, 3.9578139676187165],
  [7.999, 8.523145786158915], [8, 8.525161361065415], [9.75, 12.242204940050762], [10, 12.801827480081469],
  [12.5, 18.734347511936445], [33.3, 82.60372358165495], [100, 359.1342053695754], [1234.5, 7550.550901077895],
  [1e5, 1051287.7089736569], [1e8, 1742068066.1038346], [1e15, 3.3538776394910668e+16], [200000.5, 2241215.4480443597],
  [0.999, 0.0005780385328913802], [1.001, -0.0005763935982833062], [1.999, -0.0004224618006921073], [2.001, 0.000423106734800117],
  [-0.5, 1.2655121234846454], [-1.5, 0.860047015376481], [-2.25, 0.5555015450206475], [-10.1, -13.0209732710115],
];

const BETALN: [number, number, number][] = [
  [1, 1, 0], [2, 3, -2.4849066497880004], [0.5, 0.5, 1.1447298858494002], [0.001, 7, 6.905306024280088],
  [1.5, 100000.25, -17.390177935064024], [50001, 49999.7, -69319.34762858962], [3.3, 0.01, 4.589113998663834],
];

/**
 * |got − want| ≤ 1e-14 · max(|want|, scale): relative, except near a zero of the function, where
 * the error is held to the size of the terms that cancelled there (`scale`).
 */
function expectClose(got: number, want: number, scale: number, what: string): void {
  const err = Math.abs(got - want);
  const tol = 1e-14 * Math.max(Math.abs(want), scale);
  if (!(err <= tol)) expect.fail(`${what}: got ${got}, want ${want} (error ${err.toExponential(2)} > ${tol.toExponential(2)})`);
}

describe('special functions of the variational mixture', () => {
  it('digamma matches 40-digit values to 1e-14 (absolute near its zero at 1.4616…)', () => {
    for (const [x, want] of DIGAMMA) expectClose(digamma(x), want, 1, `digamma(${x})`);
  });

  it('gammaln matches 40-digit values to 1e-14 (absolute near its zeros at 1 and 2)', () => {
    for (const [x, want] of GAMMALN) expectClose(gammaln(x), want, 1, `gammaln(${x})`);
  });

  it('betaln matches 40-digit values, relative to the largest gammaln it sums', () => {
    for (const [a, b, want] of BETALN) {
      const scale = Math.max(1, Math.abs(gammaln(a)), Math.abs(gammaln(b)), Math.abs(gammaln(a + b)));
      expectClose(betaln(a, b), want, scale, `betaln(${a}, ${b})`);
    }
  });

  it('satisfies the recurrences ψ(x + 1) = ψ(x) + 1/x and ln Γ(x + 1) = ln Γ(x) + ln x', () => {
    for (const x of [0.3, 1.7, 4.2, 9.5, 10.5, 57.25]) {
      expectClose(digamma(x + 1), digamma(x) + 1 / x, 1, `ψ(${x} + 1)`);
      expectClose(gammaln(x + 1), gammaln(x) + Math.log(x), 1, `ln Γ(${x} + 1)`);
    }
  });

  it('gives scipy\'s values at poles and non-finite arguments', () => {
    expect(digamma(0)).toBe(-Infinity);
    expect(digamma(-1)).toBeNaN();
    expect(digamma(Infinity)).toBe(Infinity);
    expect(digamma(NaN)).toBeNaN();
    expect(gammaln(0)).toBe(Infinity);
    expect(gammaln(-3)).toBe(Infinity);
    expect(gammaln(Infinity)).toBe(Infinity);
    expect(gammaln(NaN)).toBeNaN();
  });
});
