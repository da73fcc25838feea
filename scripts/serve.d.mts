/** A route of {@link serve}: the bytes or text served at a path, and their content type. */
export interface Route {
  body: Uint8Array | string;
  type: string;
}

/** Serves `routes` on 127.0.0.1 (port 0: any free port). */
export function serve(routes: Record<string, Route>, options?: { port?: number }): Promise<{ url: string; close: () => Promise<void> }>;
