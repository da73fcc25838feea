// `npm run soak:threads [-- SECONDS]`: the threaded entry points run over and over, alternately
// on 1 thread and on more threads than the machine has cores (4 per core + 1, at most 16), for
// SECONDS (default 60), on a fixed, seeded set of problems of varied shapes. Their results must be the same bytes on any thread count, so any difference, and any
// throw, is a fault of the thread pool (a race shows as one in some rounds, not in every round):
// each is printed, and the exit code is 1. CI runs it for a minute; run it longer after changing
// src/runtime/threads/. It needs a build (npm run build).
import * as elbo from '../dist/index.js';
import { gmmProblem } from '../bench/suites/mixture.mjs';

const { BayesianGaussianMixture, BinarySparseCoding, GaussianMixture, KMeans, LISTA, Random, sparseEncode } = elbo;
const seconds = Number(process.argv[2] ?? 60);
/**
 * More threads than cores: the workers are then descheduled often, also between waking for a job
 * and claiming its blocks, which is where a late worker meets the next job.
 */
const MANY = Math.min(16, 4 * (await import('node:os')).availableParallelism() + 1);
if (!(seconds > 0)) throw new Error(`soak-threads: the duration must be a number of seconds > 0; got ${process.argv[2]}`);

/** A rows × cols matrix of seeded standard normal values. */
function normal(rows, cols, seed) {
  return { data: new Random(seed).fillNormal(new Float64Array(rows * cols), 0, 1), rows, cols };
}

const TYPES = ['full', 'diag', 'tied', 'spherical'];

/** The problems: each a name and a computation returning every number of its result. */
function problems() {
  const rng = new Random(7);
  const list = [];
  // Many short jobs: a race needs a worker late for one job while the next is written.
  for (let i = 0; i < 40; i++) {
    const N = 200 + rng.int(30000), D = 1 + rng.int(12), K = 1 + rng.int(10), type = TYPES[rng.int(4)], f32 = rng.random() < 0.3;
    list.push({
      name: `GaussianMixture and KMeans, ${N} × ${D}, K = ${K}, ${type}${f32 ? ', f32' : ''}`,
      run: () => {
        const X = gmmProblem({ N, D, K, covarianceType: type }, i).X;
        const x = f32 ? { ...X, data: Float32Array.from(X.data) } : X;
        const g = new GaussianMixture({ nComponents: K, covarianceType: type, maxIter: 5, seed: 2, onWarning: () => {} }).fit(x);
        const km = new KMeans({ nClusters: K, seed: 3, nInit: 1, onWarning: () => {} }).fit(x);
        return [...g.means.data, ...g.weights, g.lowerBound, ...km.clusterCenters.data, km.inertia];
      },
    });
  }
  for (let i = 0; i < 4; i++) {
    const N = 100 + rng.int(5000), D = 1 + rng.int(6), K = 1 + rng.int(6), type = TYPES[i];
    list.push({
      name: `BayesianGaussianMixture, ${N} × ${D}, K = ${K}, ${type}`,
      run: () => {
        const g = new BayesianGaussianMixture({ nComponents: K, covarianceType: type, maxIter: 5, seed: 2, onWarning: () => {} }).fit(gmmProblem({ N, D, K, covarianceType: type }, 100 + i).X);
        return [...g.means.data, ...g.weights, g.lowerBound];
      },
    });
  }
  for (const algorithm of ['cd', 'ista', 'fista', 'cd']) {
    const N = 50 + rng.int(1000), F = 4 + rng.int(30), A = 4 + rng.int(40);
    list.push({
      name: `sparseEncode ${algorithm}, ${N} signals, ${A} atoms × ${F}`,
      run: () => sparseEncode(normal(N, F, 1), normal(A, F, 2), { alpha: 0.1, algorithm, onWarning: () => {} }).codes.data,
    });
  }
  for (let i = 0; i < 3; i++) {
    const N = 50 + rng.int(1000), m = 4 + rng.int(20), n = 4 + rng.int(20);
    list.push({
      name: `BinarySparseCoding.infer, ${N} signals, ${m} × ${n}`,
      run: () => {
        const model = new BinarySparseCoding({ W: normal(m, n, 10 + i), b: new Float64Array(n).fill(-1), beta: new Float64Array(m).fill(2), onWarning: () => {} });
        const r = model.infer(model.sample(N, i).V, { maxIter: 20, tol: 0 });
        return [...r.hHat.data, ...r.elbo];
      },
    });
  }
  list.push({
    name: 'LISTA fit and transform, 600 signals, 32 atoms × 16',
    run: () => {
      const X = normal(600, 16, 21);
      const lista = new LISTA({ dictionary: normal(32, 16, 20), alpha: 0.1, nLayers: 2, epochs: 2, seed: 1, onWarning: () => {} }).fit(X);
      return lista.transform(X).data;
    },
  });
  return list;
}

const list = problems();
const first = new Map();
const deadline = Date.now() + seconds * 1000;
let rounds = 0, faults = 0;
while (Date.now() < deadline) {
  for (const threads of [1, MANY]) {
    elbo.dispose();
    await elbo.init({ threads });
    for (const p of list) {
      let bytes;
      try {
        bytes = Buffer.from(Float64Array.from(p.run()).buffer).toString('base64');
      } catch (err) {
        faults++;
        console.log(`round ${rounds + 1}, ${threads} threads: ${p.name} threw ${err?.name}: ${err?.message}`);
        continue;
      }
      if (!first.has(p.name)) first.set(p.name, bytes);
      else if (first.get(p.name) !== bytes) {
        faults++;
        console.log(`round ${rounds + 1}, ${threads} threads: ${p.name} gave other bytes than before`);
      }
    }
  }
  rounds++;
}
elbo.dispose();
console.log(`soak-threads: ${rounds} rounds of ${list.length} problems on 1 and ${MANY} threads in ${seconds} s: ${faults === 0 ? 'the same bytes every time' : `${faults} faults`}`);
process.exitCode = faults === 0 ? 0 : 1;
