// Veilig's service worker. The build (scripts/post-build.mjs) fills in the placeholders (version,
// precache list, outbox code), so this file's bytes change with every build and the browser notices an update.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `veilig-shell-${VERSION}`;
// The outbox code built from src/bin/veilig-sw.rs (its glue defines `wasm_bindgen`).
const WORKER = __WORKER__;
// Should it fail to load, the worker still installs and serves the app offline; only background
// delivery waits (a sync then rejects and is retried, and the app sends when it is opened).
try {
  importScripts(WORKER.js);
} catch (err) {
  console.warn('veilig: outbox code not loaded', err && err.name);
}

self.addEventListener('install', (event) => {
  // `cache: 'reload'` skips the HTTP cache: the precache must hold exactly this build's bytes.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))),
    ),
  );
  // No skipWaiting here: an update waits until the app asks (the user accepted it).

  // Static routing (Chromium 123+): the shell's code and style come straight from this
  // version's cache, without waking the worker's fetch handler first (measured: the start-up
  // waited on it). A miss falls back to the network; other browsers use the fetch handler.
  if (event.addRoutes) {
    event.addRoutes({
      condition: {
        requestMethod: 'GET',
        or: ['/*.wasm', '/*.js', '/*.css'].map((pathname) => ({ urlPattern: { pathname } })),
      },
      source: { cacheName: CACHE },
    });
  }
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then(async (keys) => {
        const older = keys.filter((k) => k.startsWith('veilig-shell-') && k !== CACHE);
        await Promise.all(older.map((k) => caches.delete(k)));
        await self.clients.claim();
        // An update the user accepted in one window: every other window of the app reloads into
        // this version too (its work is stored), so that no window keeps running old code that
        // holds the database open at an older version. Not awaited: a navigation goes through
        // this worker's fetch handler, which waits until activation has finished.
        if (older.length > 0) {
          const windows = await self.clients.matchAll({ type: 'window' });
          for (const w of windows) w.navigate(w.url).catch(() => {});
        }
      }),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data && event.data.type === 'GET_VERSION') event.source?.postMessage({ type: 'VERSION', version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API is always live: reports and receipts must never come from a cache.
  if (url.pathname.startsWith('/api/')) return;
  // The workspace (managers, P&O) is a site of its own, online first: never this shell, never
  // precached (its build comes after the app's and is not in PRECACHE).
  if (url.pathname === '/werkruimte' || url.pathname.startsWith('/werkruimte/')) return;

  if (request.mode === 'navigate') {
    // Every app route is the same shell; the router in the app picks the page.
    event.respondWith(
      caches.match('/index.html', { cacheName: CACHE }).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});

// Background Sync (Chromium browsers only; elsewhere the app sends when it is open).
// The worker delivers with the app's own Rust code (src/bin/veilig-sw.rs): the same outbox
// entries, the same sending, the same reading of the server's answer. The server answers
// identical bytes with the same receipt, so sending from here and from the app never doubles a
// report. Which tag is ours is decided there too (`veilig_core::outbox::SYNC_TAG`).
let outbox;
function outboxCode() {
  outbox ??= (typeof wasm_bindgen === 'function' ? caches.match(WORKER.wasm, { cacheName: CACHE }) : Promise.reject(new Error('no outbox code')))
    .then((hit) => wasm_bindgen({ module_or_path: hit || fetch(WORKER.wasm) }))
    .catch((err) => {
      outbox = undefined; // try again at the next sync
      throw err;
    });
  return outbox;
}

self.addEventListener('sync', (event) => {
  // A rejection (no answer from the server) makes the browser schedule the sync again.
  event.waitUntil(outboxCode().then(() => wasm_bindgen.on_sync(event.tag)));
});
