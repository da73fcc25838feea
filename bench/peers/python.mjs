// Runs a Python peer script with Debian's /usr/bin/python3 when scikit-learn imports there;
// returns its JSON output, or null (with the reason) when Python or scikit-learn is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** null when usable, else why not. */
export function sklearnUnavailable() {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' });
  return r.status === 0 ? null : `scikit-learn does not import in ${PYTHON} (apt-get install python3-sklearn)`;
}

/**
 * Runs `script` with arguments, with BLAS pinned to `threads` threads; parses stdout as JSON.
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the machine sets them.
 */
export function runPython(script, args, { threads = 1 } = {}) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const out = execFileSync(PYTHON, [script, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(out);
}
