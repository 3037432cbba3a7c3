// The app shell works offline once the service worker has installed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, startServer, tempDir, waitForServiceWorker } from './helpers.mjs';

let server;
let profile;
before(async () => {
  server = await startServer();
  profile = tempDir('offline-profile');
});
after(async () => {
  await server?.stop();
  profile?.remove();
});

test('after the first visit the app shell renders with the network off', async () => {
  const { context } = await launch({ profileDir: profile.dir });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
    await waitForServiceWorker(page);

    await context.setOffline(true);
    // The network really is off: the API cannot be reached.
    const apiReachable = await page.evaluate(() => fetch('/api/health').then(() => true, () => false));
    assert.equal(apiReachable, false);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Wat gebeurt er?' }).waitFor();
    assert.equal(await page.locator('a.call-112').getAttribute('href'), 'tel:112');

    // A deep link that was never visited is answered with the cached shell too.
    await page.goto(new URL('/naslag', server.url).href);
    await page.getByRole('heading', { level: 1, name: 'Naslag' }).waitFor();
  } finally {
    await context.close();
  }
});

test('the service worker precaches exactly the built files and never the API', async () => {
  const { context } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForServiceWorker(page);
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith('veilig-shell-')));
      return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
    });
    assert.ok(cached.includes('/index.html'), cached.join(','));
    assert.ok(cached.some((p) => p.endsWith('_bg.wasm')), 'the wasm is precached');
    assert.ok(cached.some((p) => p.endsWith('.css')), 'the css is precached');
    assert.ok(cached.includes('/manifest.webmanifest'));
    assert.ok(!cached.some((p) => p.startsWith('/api/')), 'no API response is cached');
    assert.ok(!cached.some((p) => p.endsWith('.br') || p.endsWith('.gz')), 'no compressed copies');

    await page.evaluate(() => fetch('/api/health'));
    const afterApi = await page.evaluate(async () => {
      let n = 0;
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        n += (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith('/api/')).length;
      }
      return n;
    });
    assert.equal(afterApi, 0);
  } finally {
    await context.close();
  }
});
