// fitOnBeam: the statistics protocol of elbo-wasm (fitWithStatistics) with Apache Beam as the
// engine. One Beam pipeline per EM iteration: shards → partialStats under the broadcast
// parameters (worker.js) → a CombineFn that merges in shard order → the M-step on the driver.
import * as beam from 'apache-beam';
import { createRunner } from 'apache-beam/runners/runner';
import { withName } from 'apache-beam/transforms/transform';
import { fitWithStatistics, init, toMatrix } from 'elbo-wasm';
import { collect, collectCombineFn, eStep, sampleStep, sink, statsCombineFn } from './worker.js';

/** A fit over shards failed (a shard that cannot be read, a failing pipeline); the model is unchanged. */
export class BeamFitError extends Error {
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'BeamFitError';
  }
}

let runs = 0;

/** The shards as pipeline elements: a path stays a path (read by the worker), a matrix becomes JSON. */
function shardElements(shards) {
  if (!Array.isArray(shards) || shards.length === 0) {
    throw new TypeError(`shards must be a non-empty array of file paths or matrices; got ${Array.isArray(shards) ? 'an empty array' : typeof shards}`);
  }
  return shards.map((shard, index) => {
    if (typeof shard === 'string') return { index, shard };
    const m = toMatrix(shard, `shards[${index}]`);
    return { index, shard: { rows: m.rows, cols: m.cols, data: Array.from(m.data) } };
  });
}

/** Beam's failures wrap the worker's message; the first line naming a shard is the one to show. */
function beamError(e) {
  const text = String(e?.message ?? e);
  const line = text.split('\n').find((l) => l.includes('elbo-wasm-beam: '));
  const message = line ? line.slice(line.indexOf('elbo-wasm-beam: ') + 'elbo-wasm-beam: '.length).trim() : `the Beam pipeline failed: ${text.split('\n')[0]}`;
  return new BeamFitError(message, e);
}

/** Runs one pipeline ending in a single value and returns that value on the driver. */
async function runOnce(runner, build, pipelineOptions) {
  const runId = `elbo-${process.pid}-${++runs}`;
  try {
    await runner.run((root) => build(root).map(withName('collect', collect), { runId }), pipelineOptions);
  } catch (e) {
    sink.results.delete(runId);
    throw beamError(e);
  }
  if (!sink.results.has(runId)) throw new BeamFitError(`the Beam pipeline ${runId} finished without a result (on a remote runner, results need a sink on shared storage: see the README)`);
  const out = sink.results.get(runId);
  sink.results.delete(runId);
  return out;
}

/**
 * Fits `model` (GaussianMixture, BayesianGaussianMixture, MiniBatchDictionaryLearning or
 * BinarySparseCoding from elbo-wasm) by EM over shards with Apache Beam, one pipeline per
 * iteration, and resolves to the same model, fitted. See index.d.ts for the options.
 */
export async function fitOnBeam(model, shards, options = {}) {
  const { runner: runnerName = 'direct', pipelineOptions = {}, ...fitOptions } = options;
  const elements = shardElements(shards);
  await init();
  const runner = createRunner({ ...pipelineOptions, runner: runnerName });
  const engine = {
    sample: (size, seed) => runOnce(runner, (root) => root
      .apply(beam.create(elements))
      .map(withName('sample', sampleStep), { size, seed })
      .apply(beam.groupGlobally().combining((x) => x, collectCombineFn, 'parts'))
      .map(withName('unwrap', (r) => r.parts)), pipelineOptions),
    statistics: async (snapshot) => {
      const out = await runOnce(runner, (root) => root
        .apply(beam.create(elements))
        .map(withName('estep', eStep), { snapshot })
        .apply(beam.groupGlobally().combining((x) => x, statsCombineFn, 'merged'))
        .map(withName('unwrap', (r) => r.merged)), pipelineOptions);
      if (!out || out.shards !== elements.length) throw new BeamFitError(`statistics came back for ${out?.shards ?? 0} of ${elements.length} shards`);
      return out.stats;
    },
  };
  return fitWithStatistics(model, engine, fitOptions);
}
