/**
 * The browser build of elbo-wasm (the "browser" and "default" export conditions): the whole
 * library, with an {@link init} that fetches elbo.wasm by URL and no Node imports.
 */
export * from './index.js';
export { init } from './runtime/init-browser.js';
