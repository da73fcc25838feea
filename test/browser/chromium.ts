// Finds and launches Debian's Chromium for the browser tests (never a downloaded browser).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';

/** Chromium's path: $CHROMIUM_PATH, else Debian's /usr/bin/chromium; null when absent. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

/** Launches headless Chromium with the flags this closed network needs. */
export async function launchChromium(path: string): Promise<Browser> {
  return chromium.launch({
    executablePath: path,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/**
 * The rule every browser test follows: Chromium's path when there is one; otherwise a loud
 * warning that `what` is skipped, and, with CI=true, a failing test in its place.
 */
export function chromiumOrSkip(what: string): string | null {
  const path = chromiumPath();
  if (path) return path;
  const msg = `NO CHROMIUM FOUND (/usr/bin/chromium or $CHROMIUM_PATH): ${what} is SKIPPED. Install it with \`apt-get install -y chromium\`.`;
  console.warn(`\n${'!'.repeat(msg.length)}\n${msg}\n${'!'.repeat(msg.length)}\n`);
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(what, () => {
      it('has Chromium available (required when CI=true)', () => {
        expect.fail(msg);
      });
    });
  }
  return null;
}
