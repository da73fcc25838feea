// A static server on 127.0.0.1 for the demo page, the browser tests and the Chromium peer
// benchmark: `routes` maps a path to { body, type }; '/index.html' is served as '/'. With
// `isolated`, every response carries the two headers that make a page cross-origin isolated
// (COOP same-origin, COEP require-corp), which browsers require before they give it
// SharedArrayBuffer, and so elbo's threads.
import { createServer } from 'node:http';

/** The headers of a cross-origin isolated page. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/**
 * Listens on 127.0.0.1 (`port` 0: any free port) and resolves to { url, close }.
 * @param {Record<string, { body: Uint8Array | string, type: string }>} routes
 * @param {{ port?: number, isolated?: boolean }} [options]
 */
export async function serve(routes, { port = 0, isolated = false } = {}) {
  const extra = isolated ? ISOLATION_HEADERS : {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path === '/index.html' ? '/' : path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain', ...extra });
      res.end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store', ...extra });
    res.end(route.body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
