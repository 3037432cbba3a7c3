// Shared helpers for the end-to-end tests: a real server on a free port with its own SQLite
// file, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = process.env.VEILIG_ROOT ?? resolve(import.meta.dirname, '../..');
export const SERVER_BIN = process.env.VEILIG_SERVER_BIN ?? join(ROOT, 'target/release/veilig-server');
export const DIST = process.env.VEILIG_DIST ?? join(ROOT, 'dist');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `veilig-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the release server on a free port; resolves once it printed its URL. */
export async function startServer({ dataDir, dist = DIST, port = 0 } = {}) {
  const data = dataDir ?? tempDir('data').dir;
  const proc = spawn(SERVER_BIN, ['--port', String(port), '--data-dir', data, '--dist-dir', dist], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[\d.:]+\//);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[0]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    dataDir: data,
    proc,
    stop: () =>
      new Promise((done) => {
        if (proc.exitCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
      }),
  };
}

/** A Chromium with its own profile folder (kept across restarts when the caller reuses it). */
export async function launch({ profileDir, viewport = { width: 800, height: 1000 } } = {}) {
  const profile = profileDir ?? tempDir('profile').dir;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return { context, profile };
}

/** Waits until a service worker controls the page (after its first install). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}
