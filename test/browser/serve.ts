// The browser tests serve their pages with the same static server as `npm run demo:web`.
export { serve, type Route } from '../../scripts/serve.mjs';
