/**
 * The demo's learned-inference section: LISTA with T = 1, 2, 3 layers trained on 1400 digits
 * (÷16) against ISTA, FISTA and coordinate descent after k = 1..30 iterations on the 397 others,
 * as the mean lasso objective above the optimum's against the work (iterations, or layers).
 */
import type { loadDigits } from '../../datasets/index.js';
import { LISTA } from '../../learned/index.js';
import { workSpec } from '../../plot/index.js';
import { MiniBatchDictionaryLearning, lassoObjective, sparseEncode } from '../../sparse/index.js';
import type { DemoOutput } from './demo-hmm.js';

/** Runs the section on the shipped digits. */
export async function learnedDemo(out: DemoOutput, digits: Awaited<ReturnType<typeof loadDigits>>): Promise<void> {
  const F = digits.X.cols, nTrain = 1400, alpha = 0.1, epochs = 30;
  const all = Float64Array.from(digits.X.data, (v) => v / 16);
  const train = { data: all.subarray(0, nTrain * F), rows: nTrain, cols: F };
  const test = { data: all.subarray(nTrain * F), rows: digits.X.rows - nTrain, cols: F };
  out.say(`\nLearned inference: LISTA with 1, 2, 3 layers (${epochs} epochs on ${nTrain} digits ÷ 16) against ISTA, FISTA and CD on the ${test.rows} others, α = ${alpha}`);
  const D = new MiniBatchDictionaryLearning({ nComponents: 64, alpha, batchSize: 256, maxIter: 5, seed: 0, onWarning: () => {} }).fit(train).components;
  const optimum = lassoObjective(test, D, sparseEncode(test, D, { alpha, tol: 1e-10, maxIter: 10000, onWarning: () => {} }).codes, alpha);
  const ks = Array.from({ length: 30 }, (_, i) => i + 1);
  const series = (['ista', 'fista', 'cd'] as const).map((algorithm) => ({
    name: algorithm.toUpperCase(),
    work: ks,
    value: ks.map((k) => lassoObjective(test, D, sparseEncode(test, D, { alpha, algorithm, maxIter: k, tol: 0 }).codes, alpha) - optimum),
  }));
  const layers = [1, 2, 3], lista: number[] = [];
  for (const T of layers) {
    const model = new LISTA({ dictionary: D, alpha, nLayers: T, epochs, seed: 0, onWarning: () => {} }).fit(train);
    lista.push(lassoObjective(test, D, model.transform(test), alpha) - optimum);
  }
  series.push({ name: 'LISTA', work: layers, value: lista });
  const at = (name: string, k: number) => series.find((s) => s.name === name)!.value[k - 1];
  out.say(`  mean objective above the optimum: LISTA-1, 2, 3: ${lista.map((v) => v.toPrecision(3)).join(', ')}; ISTA-3: ${at('ISTA', 3).toPrecision(3)}, ISTA-30: ${at('ISTA', 30).toPrecision(3)}; FISTA-3: ${at('FISTA', 3).toPrecision(3)}; CD-3: ${at('CD', 3).toPrecision(3)}`);
  await out.save('learned-lista.svg', workSpec(series, { title: 'Held-out digits: mean lasso objective above the optimum', xlabel: 'iterations (layers for LISTA)', ylabel: 'objective − optimum', logY: true }));
  out.results.learned = { alpha, epochs, lista, ista: series[0].value, fista: series[1].value, cd: series[2].value };
}
