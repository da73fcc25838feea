// The HMM peers of `npm run bench:peers`: one Baum-Welch iteration on 100 sequences × 1,000
// steps, K = 8, 4-D diagonal Gaussians, from the same start, in elbo (wasm and its TypeScript
// twins) and in pomegranate 0.14.8 (one thread), with the log-likelihood each reaches.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GaussianHMM } from '../../dist/index.js';
import { baumWelchWorkload } from '../suites/hmm.mjs';
import { runPython } from './python.mjs';

const SCRIPT = fileURLToPath(new URL('./hmm_pomegranate.py', import.meta.url));
/** Iterations per timed fit (the same count for every peer). */
const ITERATIONS = 5;

/** null when pomegranate imports in /usr/bin/python3, else why not. */
export function pomegranateUnavailable() {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import pomegranate'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'pomegranate does not import in /usr/bin/python3 (apt-get install python3-pomegranate)';
}

function elboSeconds(w, engine) {
  let model;
  const fit = () => {
    model = new GaussianHMM({ nComponents: w.K, ...w.start, nIter: ITERATIONS, tol: 0, minCovar: 0, engine, onWarning: () => {} }).fit(w.X, { lengths: w.lengths });
  };
  // Two warm-ups: V8 tiers wasm up from its baseline compiler while it runs.
  fit(); fit();
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    fit();
    best = Math.min(best, (performance.now() - t) / 1e3 / ITERATIONS);
  }
  return { seconds: best, logLikAfter: model.score(w.X, { lengths: w.lengths }) };
}

/** Rows { workload, peer, seconds, logLikAfter } for every available peer. */
export function runHmmPeers({ quick = false, python = true } = {}) {
  const w = baumWelchWorkload(quick ? { nSeq: 20 } : {});
  const workload = `hmm-baum-welch ${w.lengths.length}x${w.lengths[0]} K=${w.K} D=${w.D} diag`;
  const rows = [];
  rows.push({ workload, peer: 'elbo-f64', ...elboSeconds(w, 'wasm') });
  rows.push({ workload, peer: 'elbo-ts', ...elboSeconds(w, 'reference') });
  const why = python ? pomegranateUnavailable() : 'disabled';
  if (why) return { rows, skipped: why };
  const dir = mkdtempSync(join(tmpdir(), 'elbo-hmm-peer-'));
  try {
    const f64 = (name, a) => writeFileSync(join(dir, name), Buffer.from(Float64Array.from(a).buffer));
    f64('X.bin', w.X.data);
    f64('startProb.bin', w.start.startProbInit);
    f64('transMat.bin', w.start.transMatInit);
    f64('means.bin', w.start.meansInit.flat());
    f64('covars.bin', w.start.covarsInit);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ K: w.K, D: w.D, lengths: w.lengths }));
    const r = runPython(SCRIPT, [dir, String(ITERATIONS)], { threads: 1 });
    rows.push({ workload, peer: 'pomegranate-1t', seconds: r.seconds, logLikAfter: r.logLikAfter, version: r.pomegranate });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, skipped: null };
}
