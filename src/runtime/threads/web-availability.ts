/**
 * Whether a browser context may start a pool (SharedArrayBuffer needs cross-origin isolation)
 * and what 'auto' means there. Apart from init-browser.ts so that the entries sharing it (Node's
 * source tree in a browser, inline) do not pull in the browser init's wasm URLs.
 */
import type { ThreadsPlatform } from '../instantiate.js';

/** Why a page without cross-origin isolation gets one thread, and what fixes it. */
export const NOT_ISOLATED = 'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';

/** Whether a browser context may share memory with workers, and how many threads 'auto' means there. */
export function webThreadsAvailability(): Pick<ThreadsPlatform, 'auto' | 'unavailable'> {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const why = (): string | null => {
    if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated === false) return NOT_ISOLATED;
    if (typeof Worker === 'undefined') return 'this context cannot start Web Workers';
    return null;
  };
  return {
    auto: async () => {
      const reason = why();
      return reason === null ? { threads: Math.max(1, g.navigator?.hardwareConcurrency ?? 1) } : { threads: 1, reason };
    },
    unavailable: why,
  };
}

