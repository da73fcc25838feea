/**
 * Fetching elbo.wasm by URL, with errors that say what to do. A dev server that does not serve
 * the file often answers 404, or 200 with its HTML fallback page: both end in an InitError
 * naming the URL and the two ways out (`init({ wasmUrl })` or the `elbo-wasm/inline` entry),
 * instead of WebAssembly's "expected magic word" further down.
 */
import { InitError } from './errors.js';

/** The first four bytes of every WebAssembly module: "\0asm". */
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

const REMEDY = 'pass init({ wasmUrl }) with the URL where elbo.wasm is served (the package ships it as '
  + "'elbo-wasm/elbo.wasm'), or import from 'elbo-wasm/inline', whose init() needs no file";

/** Fetches the module at `url` and checks that what came back is WebAssembly. */
export async function fetchWasm(url: string | URL): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new InitError(`fetching elbo.wasm from ${String(url)} failed (${String((err as Error)?.message ?? err)}); ${REMEDY}`);
  }
  if (!res.ok) throw new InitError(`fetching elbo.wasm from ${res.url || String(url)} failed: HTTP ${res.status}; ${REMEDY}`);
  const bytes = await res.arrayBuffer();
  const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (head.length < 4 || WASM_MAGIC.some((b, i) => head[i] !== b)) {
    const type = res.headers.get('content-type') ?? 'no content type';
    throw new InitError(`${res.url || String(url)} is not elbo.wasm (got ${bytes.byteLength} bytes of ${type}, not a WebAssembly module); ${REMEDY}`);
  }
  return bytes;
}
