// Veilig's service worker. The build (scripts/post-build.mjs) fills in the two placeholders, so
// this file's bytes change with every build and the browser notices an update.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `veilig-shell-${VERSION}`;

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
// The worker only delivers: it PUTs entries that wait, the exact bytes the app stored, and marks
// them delivered with the receipt. Errors, backoff and refusals stay with the app. The server
// answers identical bytes with the same receipt, so sending from here and from the app never
// doubles a report.
const OUTBOX_TAG = 'veilig-outbox';

self.addEventListener('sync', (event) => {
  if (event.tag === OUTBOX_TAG) event.waitUntil(sendOutbox());
});

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function sendOutbox() {
  const db = await request(indexedDB.open('veilig'));
  try {
    if (!db.objectStoreNames.contains('outbox')) return;
    const read = db.transaction('outbox').objectStore('outbox');
    const [keys, values] = await Promise.all([request(read.getAllKeys()), request(read.getAll())]);
    for (let i = 0; i < keys.length; i++) {
      let envelope;
      try {
        envelope = JSON.parse(values[i]);
      } catch {
        continue;
      }
      const entry = envelope && envelope.data;
      if (!entry || entry.state !== 'waiting' || !entry.body) continue;
      // A network error rejects: the browser schedules the sync again later.
      const res = await fetch(`/api/v1/reports/${encodeURIComponent(entry.id)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: entry.body,
      });
      if (!res.ok) continue;
      const receipt = await res.json().catch(() => null);
      if (!receipt || receipt.id !== entry.id) continue;
      const delivered = { ...entry, state: 'delivered', receipt, last_error: null };
      delete delivered.next_attempt_at;
      delete delivered.since;
      // Only if the app did not change the entry meanwhile (read and write in one transaction).
      const tx = db.transaction('outbox', 'readwrite');
      const store = tx.objectStore('outbox');
      const now = await request(store.get(keys[i]));
      if (now === values[i]) store.put(JSON.stringify({ v: envelope.v, data: delivered }), keys[i]);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    }
  } finally {
    db.close();
  }
}
