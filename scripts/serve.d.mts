/** A route of {@link serve}: the bytes or text served at a path, and their content type. */
export interface Route {
  body: Uint8Array | string;
  type: string;
}

/** The headers of a cross-origin isolated page (COOP same-origin, COEP require-corp). */
export const ISOLATION_HEADERS: Record<string, string>;

/** Serves `routes` on 127.0.0.1 (port 0: any free port); `isolated` adds {@link ISOLATION_HEADERS} to every response. */
export function serve(routes: Record<string, Route>, options?: { port?: number; isolated?: boolean }): Promise<{ url: string; close: () => Promise<void> }>;
