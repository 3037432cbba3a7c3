// The app runs under the server's Content Security Policy (server/src/headers.rs) without a
// single violation: every screen, in Dutch and in English, first straight from the server and
// then answered by the service worker (whose own policy comes from sw.js's response).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newDraft, startServer, tempDir, waitForServiceWorker, waitSaved } from './helpers.mjs';

let server;
const cleanups = [];
before(async () => {
  server = await startServer();
  cleanups.push(() => server.stop());
});
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const SCREENS = {
  nl: [
    ['/', 'Wat gebeurt er?'],
    ['/protocol/kantoor', 'Op kantoor'],
    ['/protocol/woning', 'In bijvoorbeeld een woning'],
    ['/protocol/telefoon', 'Telefonische agressie'],
    ['/extreem', 'Extreme incidenten'],
    ['/naslag', 'Naslag'],
    ['/kaart', 'Kaart receptie: agressie op kantoor'],
    ['/instellingen', 'Instellingen'],
    ['/registraties', 'Registraties'],
    ['/verzenden', 'Verzenden'],
    ['/bestaat-niet', 'Pagina niet gevonden'],
  ],
  en: [
    ['/', 'What is happening?'],
    ['/protocol/kantoor', 'At the office'],
    ['/protocol/woning', 'In a home, for example'],
    ['/protocol/telefoon', 'Aggression on the phone'],
    ['/extreem', 'Extreme incidents'],
    ['/naslag', 'Reference'],
    ['/kaart', 'Reception card: aggression at the office'],
    ['/instellingen', 'Settings'],
    ['/registraties', 'Reports'],
    ['/verzenden', 'Sending'],
    ['/bestaat-niet', 'Page not found'],
  ],
};

/**
 * A Chromium whose pages record every CSP violation: the `securitypolicyviolation` events of
 * each document (kept in `window.__csp` from before any script of the page runs) and every
 * console message that mentions the policy (the browser's own "Refused to …" lines).
 */
async function watchedBrowser({ serviceWorkers }) {
  const profile = tempDir('csp-profile');
  cleanups.push(async () => profile.remove());
  const { context } = await launch({ profileDir: profile.dir, serviceWorkers });
  cleanups.push(() => context.close());
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  });
  const seen = [];
  context.on('console', (msg) => {
    if (/content.security.policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  /** What a page recorded so far (read before it navigates away). */
  const collect = async (page, where) => {
    const events = await page.evaluate(() => window.__csp ?? ['no listener: the init script did not run']);
    seen.push(...events.map((e) => `${where}: ${e}`));
  };
  return { context, seen, collect };
}

/**
 * Opens `path`, waits until the app has started (it removes the plain boot screen, which has
 * the home heading too) and shows the heading, and records what the page reported.
 */
async function visit({ page, collect, seen }, path, heading) {
  const response = await page.goto(new URL(path, server.url).href);
  let failure;
  try {
    await page.locator('#boot').waitFor({ state: 'detached', timeout: 15000 });
    await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 15000 });
  } catch (err) {
    failure = err;
  }
  await collect(page, path);
  assert.deepEqual(seen, [], `CSP violations by ${path}`);
  if (failure) throw failure;
  return response;
}

/** Every screen in Dutch (with a new draft typed in), then English chosen in the settings. */
async function everyScreen(browser) {
  const page = await browser.context.newPage();
  const b = { ...browser, page };
  for (const [path, heading] of SCREENS.nl) await visit(b, path, heading);
  const draft = await newDraft(page, server.url);
  await page.locator('#f-omschrijving').fill('Onder de CSP getypt');
  await waitSaved(page);
  await browser.collect(page, new URL(draft).pathname);

  await visit(b, '/instellingen', 'Instellingen');
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  for (const [path, heading] of SCREENS.en) await visit(b, path, heading);
  await visit(b, '/registraties', 'Reports');
  await page.getByRole('button', { name: 'New report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Aggression report' }).waitFor();
  await browser.collect(page, 'new report (en)');
  await visit(b, new URL(draft).pathname, 'Aggression report');
  return page;
}

/** `promise`, or a failure naming `what` after `ms`. */
async function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The policy of a document response: present, and with the inline scripts by hash only. */
function assertPolicy(response, where) {
  const csp = response.headers()['content-security-policy'];
  assert.ok(csp, `${where}: the response has a Content-Security-Policy`);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+' 'sha256-[^']+';/, where);
  assert.doesNotMatch(csp, /unsafe-inline/, where);
  return csp;
}

test('every screen, straight from the server, runs without a CSP violation', async () => {
  const browser = await watchedBrowser({ serviceWorkers: 'block' });
  const page = await everyScreen(browser);
  assertPolicy(await visit({ ...browser, page }, '/', 'What is happening?'), 'the app shell');
  assert.deepEqual(browser.seen, []);

  // The policy is enforced and the watch sees a violation: an inline script added by hand is
  // blocked and reported.
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return window.__injected === true;
  });
  assert.equal(ran, false, 'an inline script without its hash does not run');
  await browser.collect(page, 'probe');
  assert.ok(browser.seen.some((s) => s.includes('script-src')), browser.seen.join('\n'));
});

test('with the service worker in control, every screen runs without a CSP violation, and the worker compiles wasm', async () => {
  const browser = await watchedBrowser({ serviceWorkers: 'allow' });
  const first = await browser.context.newPage();
  await visit({ ...browser, page: first }, '/', 'Wat gebeurt er?');
  // The app registers the worker: should it not start, fail instead of waiting forever.
  await within(30000, waitForServiceWorker(first), 'the service worker controls the page');
  await browser.collect(first, 'first visit');
  await first.close();

  const page = await everyScreen(browser);
  // The shell now comes from the worker's cache, with the policy it was stored with.
  const response = await visit({ ...browser, page }, '/naslag', 'Reference');
  assert.ok(response.fromServiceWorker(), 'answered by the service worker');
  assertPolicy(response, 'the cached shell');
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
  assert.deepEqual(browser.seen, []);

  // The worker runs under sw.js's own policy: its outbox glue loaded (script-src 'self') and it
  // may compile WebAssembly ('wasm-unsafe-eval'), but not evaluate strings.
  const sw = (await fetch(new URL('/sw.js', server.url))).headers.get('content-security-policy');
  assert.match(sw ?? '', /script-src 'self' 'wasm-unsafe-eval'/, 'sw.js has the policy');
  const [worker] = browser.context.serviceWorkers();
  assert.ok(worker, 'a service worker runs');
  const inWorker = await worker.evaluate(async () => {
    // The smallest module: magic number and version.
    const wasm = await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
      () => 'compiled',
      (e) => String(e),
    );
    let evaluated;
    try {
      evaluated = (0, eval)('"evaluated"');
    } catch (e) {
      evaluated = e.name;
    }
    return { glue: typeof wasm_bindgen, wasm, evaluated };
  });
  assert.deepEqual(inWorker, { glue: 'function', wasm: 'compiled', evaluated: 'EvalError' });
});
