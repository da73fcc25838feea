// Every test file runs with the wasm module loaded from build/elbo.wasm (npm test builds it first).
import { beforeAll } from 'vitest';
import { init } from '../src/node.js';

beforeAll(async () => {
  await init();
});
