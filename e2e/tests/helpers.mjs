// Shared helpers for the end-to-end tests: a real server on a free port with its own SQLite
// file, and Debian's Chromium driven by playwright-core (never a downloaded browser).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** The team every test server has, and whose devices the tests enroll. */
export const TEAM = 'Wijkteam Noord';
/** The password of every person the tests make (long enough, not common). */
export const PASSWORD = 'wolk fiets lantaarn koffie';

/** Runs one of the server's own subcommands on a data folder; its output. */
export function serverCommand(dataDir, args, { input, allowFailure = false } = {}) {
  const run = spawnSync(SERVER_BIN, ['--data-dir', dataDir, ...args], { input, encoding: 'utf8' });
  if (run.status !== 0 && !allowFailure) throw new Error(`veilig-server ${args[0]} failed: ${run.stderr}`);
  return run.stdout.trim();
}

/**
 * Starts the release server on a free port; resolves once it printed its URL. Its data folder
 * holds an organisation made with the server's own subcommands: team `TEAM` and a P&O account
 * (who reads every report: `receivedReports`). `env`: more environment for the server (such as
 * the hidden test clock, `VEILIG_TEST_CLOCK_OFFSET_DAYS`).
 */
export async function startServer({ dataDir, dist = DIST, port = 0, env = {} } = {}) {
  const data = dataDir ?? tempDir('data').dir;
  const proc = spawn(SERVER_BIN, ['--port', String(port), '--data-dir', data, '--dist-dir', dist], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  let out = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
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
  serverCommand(data, ['add-team', '--name', TEAM], { allowFailure: true });
  serverCommand(data, ['add-user', '--login', 'po', '--name', 'P&O', '--role', 'po'], { input: `${PASSWORD}\n`, allowFailure: true });
  const server = {
    url,
    dataDir: data,
    proc,
    port: Number(new URL(url).port),
    /** What the server printed on stdout so far (its URL, the setup address). */
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill(signal);
      }),
  };
  servers.set(url, server);
  return server;
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) for a base32 secret at time step `step`. */
export function totpCode(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** The steps already used per login name (a code counts once), across restarts of a data folder. */
const usedSteps = new Map();
/** An authenticator code for `login` the server has not seen yet (one step of drift allowed). */
export function freshCode(secret, login) {
  const now = Math.floor(Date.now() / 30000);
  const last = usedSteps.get(login) ?? now - 2;
  const step = Math.max(now - 1, last + 1);
  if (step > now + 1) throw new Error('no unused authenticator code left in this window');
  usedSteps.set(login, step);
  return totpCode(secret, step);
}

/** The session cookie from a Set-Cookie answer, as a Cookie header. */
function sessionCookie(res) {
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => !c.endsWith('='));
}

/** The API as a person would use it, from Node: method, path, JSON body, cookie. */
export async function api(baseUrl, method, path, { body, cookie } = {}) {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch {}
  return { status: res.status, json, text, cookie: sessionCookie(res) };
}

/** Authenticator secrets of the accounts a test data folder has, by data folder and login. */
const secrets = new Map();

/**
 * Logs a person in over HTTP. An account that must have a second factor and has none sets
 * one up on the way (as its first login does), with the secret kept for the next login.
 */
export async function loginAs(server, login, password = PASSWORD) {
  const key = `${server.dataDir}|${login}`;
  const secret = secrets.get(key);
  let res = await api(server.url, 'POST', '/api/v1/session', { body: { login, password, ...(secret ? { code: freshCode(secret, key) } : {}) } });
  assert.equal(res.status, 201, `${login} logs in: ${res.text}`);
  const cookie = res.cookie;
  if (!res.json.complete) {
    const setup = await api(server.url, 'POST', '/api/v1/session/second-factor', { cookie });
    assert.equal(setup.status, 201, setup.text);
    secrets.set(key, setup.json.secret);
    const confirm = await api(server.url, 'POST', '/api/v1/session/second-factor/confirm', { cookie, body: { code: freshCode(setup.json.secret, key) } });
    assert.equal(confirm.status, 200, confirm.text);
  }
  return cookie;
}

/** Sessions of P&O per server address, made once. */
const readers = new Map();
async function reader(baseUrl) {
  const server = servers.get(baseUrl);
  if (!server) throw new Error(`no server started at ${baseUrl}`);
  // By data folder: a restarted server keeps its sessions.
  if (!readers.has(server.dataDir)) readers.set(server.dataDir, await loginAs(server, 'po'));
  return readers.get(server.dataDir);
}
/** Servers by address, so that `receivedReports(url)` can log in as P&O there. */
const servers = new Map();

/** A single-use enrollment code for a team (by name), made with the server's subcommand. */
export function createEnrollmentCode(server, { team = TEAM, person } = {}) {
  const out = serverCommand(server.dataDir, ['enrollment-code', '--team', team, ...(person ? ['--person', person] : [])]);
  const [code] = out.split('\n');
  return { code, link: new URL(`/koppelen#${code}`, server.url).href };
}

/** Enrolls a device from Node (not a browser): its Cookie header. */
export async function enrollDevice(server, options) {
  const { code } = createEnrollmentCode(server, options);
  const res = await fetch(new URL('/api/v1/devices/enroll', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  assert.equal(res.status, 201, 'the device is enrolled');
  return res.headers.getSetCookie()[0].split(';')[0];
}

/** Enrolls the browser of `page` (which shows a page of `server`): the device cookie lands in its profile. */
export async function enrollPage(page, server, options) {
  const { code } = createEnrollmentCode(server, options);
  const status = await page.evaluate(async (code) => {
    const res = await fetch('/api/v1/devices/enroll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    return res.status;
  }, code);
  assert.equal(status, 201, 'the device is enrolled');
}

/** Revokes every device of a team, as its manager would (here: the beheerder's API, logged in as one). */
export async function revokeDevices(server, team = TEAM) {
  serverCommand(server.dataDir, ['add-user', '--login', 'beheer', '--name', 'Beheer', '--role', 'beheerder'], { input: `${PASSWORD}\n`, allowFailure: true });
  const cookie = await loginAs(server, 'beheer');
  const devices = await api(server.url, 'GET', '/api/v1/devices', { cookie });
  assert.equal(devices.status, 200, devices.text);
  for (const d of devices.json.filter((d) => d.team === team && !d.revoked_at)) {
    const res = await api(server.url, 'POST', `/api/v1/devices/${d.id}/revoke`, { cookie });
    assert.equal(res.status, 204, res.text);
  }
}

/**
 * A Chromium with its own profile folder (kept across restarts when the caller reuses it).
 * `serviceWorkers: 'block'` keeps every request visible to `page.route` (a worker's own
 * network requests are not).
 */
export async function launch({ profileDir, viewport = { width: 800, height: 1000 }, serviceWorkers = 'allow' } = {}) {
  const profile = profileDir ?? tempDir('profile').dir;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    serviceWorkers,
  });
  return { context, profile };
}

/**
 * A server and a Chromium (with a profile folder) of their own, all stopped and removed by
 * `cleanups` (which the test file runs after its tests), and a page at `path` that accepts
 * confirmation dialogs. `waitForWorker`: return once the service worker controls the page.
 */
export async function openApp(cleanups, { path = '/', dist, serviceWorkers, waitForWorker = false, enroll = true } = {}) {
  const server = await startServer(dist ? { dist } : {});
  cleanups.push(() => server.stop());
  const profile = tempDir('app-profile');
  cleanups.push(async () => profile.remove());
  const { context } = await launch({ profileDir: profile.dir, serviceWorkers });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(new URL(path, server.url).href);
  if (enroll) await enrollPage(page, server);
  if (waitForWorker) await waitForServiceWorker(page);
  return { server, context, page };
}

/** Waits until a service worker controls the page (after its first install). */
/** Fires the outbox's Background Sync in the worker of `server`, as the browser does. */
export async function dispatchSync(context, server) {
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  const deadline = Date.now() + 10000;
  while (!registrations.some((r) => r.scopeURL === server.url) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const registration = registrations.find((r) => r.scopeURL === server.url);
  assert.ok(registration, 'the app registered its worker');
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin: new URL(server.url).origin,
    registrationId: registration.registrationId,
    tag: 'veilig-outbox', // core::outbox::SYNC_TAG
    lastChance: false,
  });
  return blank;
}

export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

/**
 * Chromium started as a process of our own (so it can be killed with SIGKILL, like a dead
 * battery), connected to over the DevTools protocol.
 */
export async function spawnChromium({ profileDir }) {
  const { createServer } = await import('node:net');
  const port = await new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => done(p));
    });
  });
  const proc = spawn(
    '/usr/bin/chromium',
    [...CHROMIUM_ARGS, '--headless=new', `--remote-debugging-port=${port}`, `--user-data-dir=${profileDir}`, 'about:blank'],
    { stdio: 'ignore', detached: true },
  );
  const deadline = Date.now() + 20000;
  let browser;
  while (!browser) {
    try {
      browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    browser,
    context: browser.contexts()[0],
    /** SIGKILL to the whole process group: no shutdown, no flush. */
    kill: async () => {
      const exited = new Promise((r) => proc.once('exit', r));
      process.kill(-proc.pid, 'SIGKILL');
      await exited;
    },
  };
}

/** Creates a new draft through the UI and returns its URL. */
export async function newDraft(page, baseUrl) {
  await page.goto(new URL('/registraties', baseUrl).href);
  await page.getByRole('button', { name: 'Nieuwe registratie' }).click();
  await page.getByRole('heading', { level: 1, name: 'Agressieregistratie' }).waitFor();
  return page.url();
}

/** Waits until the form says everything typed is stored on the device. */
export async function waitSaved(page) {
  await page.locator('.save-status .ok').waitFor();
}

/** What the server holds: receipts in order of arrival, as P&O reads them. */
export async function receivedReports(baseUrl) {
  const res = await fetch(new URL('/api/v1/reports', baseUrl), { headers: { cookie: await reader(baseUrl) } });
  if (!res.ok) throw new Error(`list failed: ${res.status}`);
  return res.json();
}

/** One received report as P&O reads it (the exact bytes). */
export async function receivedReport(baseUrl, id) {
  const res = await fetch(new URL(`/api/v1/reports/${id}`, baseUrl), { headers: { cookie: await reader(baseUrl) } });
  return { status: res.status, text: await res.text() };
}

/** Fills every field a finalized report needs, on an open form. */
export async function fillComplete(page, description = 'Huurder begon te schreeuwen.') {
  const fill = async (key, value) => page.locator(`#f-${key}`).fill(value);
  await fill('melder_naam', 'Ans de Vries');
  await fill('melder_functie', 'Woonconsulent');
  await page.getByRole('radio', { name: 'Slachtoffer' }).check();
  await fill('datum_tijd', '2026-01-05T10:15');
  await page.getByRole('radio', { name: 'Huisbezoek' }).check();
  await fill('plaats', 'Dorpsstraat 1');
  await page.getByRole('checkbox', { name: 'Verbaal / schelden' }).check();
  await page.getByRole('checkbox', { name: 'Geen van deze' }).check();
  await fill('omschrijving', description);
  await page.getByRole('button', { name: 'Persoon toevoegen' }).first().click();
  await page.locator('#f-slachtoffers input').first().fill('Ans de Vries');
  await page.locator('#f-dader_bekend').getByRole('radio', { name: 'Nee' }).check();
  await fill('dader_beschrijving', 'Man, ongeveer 40');
  await page.locator('#f-letsel').getByRole('radio', { name: 'Geen', exact: true }).check();
  await page.locator('#f-verzuim').getByRole('radio', { name: 'Nee' }).check();
  await page.getByRole('radio', { name: 'Niet ingeschakeld' }).check();
  await page.locator('#f-melding_aangifte').getByRole('radio', { name: 'Geen', exact: true }).check();
  await fill('leidinggevende_naam', 'Piet');
  await fill('leidinggevende_tijd', '2026-01-05T10:40');
  await fill('opvang_door', 'Piet');
  await fill('opvang_tijd', '2026-01-05T11:00');
  await page.locator('#f-nazorg_gewenst').getByRole('radio', { name: 'Ja' }).check();
  // Ticking records who confirms (the reporter's name, prefilled) and when.
  await page.getByRole('checkbox', { name: 'Ik bevestig dat deze registratie klopt' }).check();
  await page.getByText('Bevestigd door Ans de Vries op').waitFor();
  await waitSaved(page);
}

/** Values of one IndexedDB store of the app ('reports', 'outbox'), envelopes parsed. */
export async function idbValues(page, store, key) {
  return page.evaluate(
    ({ store, key }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('veilig');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const os = open.result.transaction(store).objectStore(store);
          const req = key === undefined ? os.getAll() : os.get(key);
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            open.result.close();
            const raw = key === undefined ? req.result : [req.result];
            resolve(raw.map((r) => JSON.parse(r)));
          };
        };
      }),
    { store, key },
  );
}

/** Writes raw values into one of the app's IndexedDB stores, in one transaction. */
export async function idbPut(page, store, records) {
  await page.evaluate(
    async ({ store, records }) => {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open('veilig');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(store, 'readwrite');
      for (const [key, value] of records) tx.objectStore(store).put(value, key);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { store, records },
  );
}

/** The envelope version of a stored report (core's REPORT_SCHEMA_VERSION). */
export const REPORT_VERSION = 2;

/** A report as the app stores it (core's shape); finalized unless `final` is false. */
export function sampleReport(n, { final = true, description = `Melding ${n} <b>html</b> “quotes”` } = {}) {
  return {
    id: `0193a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    schema_version: REPORT_VERSION, created_at: '2026-01-05T11:00:00Z', saved_at: '2026-01-05T11:30:00Z', revision: 2,
    ...(final ? { status: 'final', finalized_at: '2026-01-05T11:30:00Z' } : { status: 'draft' }),
    flow_run: null,
    values: {
      melder_naam: 'Ans', melder_functie: 'Woonconsulent', melder_rol: 'slachtoffer', datum_tijd: '2026-01-05T10:15',
      situatie: 'kantoor', plaats: 'Balie', soort: ['verbaal'], extreem: ['geen'], omschrijving: description,
      slachtoffers: [{ name: 'Ans', detail: '' }], dader_bekend: 'nee', dader_beschrijving: 'Man', letsel: 'geen',
      verzuim: 'nee', politie: 'niet', melding_aangifte: 'geen', leidinggevende_naam: 'Piet', leidinggevende_tijd: '2026-01-05T10:40',
      opvang_door: 'Piet', opvang_tijd: '2026-01-05T11:00', nazorg_gewenst: 'ja',
      akkoord_naam: 'Ans', akkoord: '2026-01-05T11:29:00Z',
    },
  };
}

/**
 * An outbox entry for `report` as the app stores it: the shape pinned in core
 * (`core/tests/fixtures/outbox-entry-v1.json`, checked against the Rust encoder by
 * `outbox::tests::the_stored_shape_is_pinned`), with this report's id and exact JSON.
 */
const OUTBOX_ENTRY_V1 = readFileSync(join(ROOT, 'core/tests/fixtures/outbox-entry-v1.json'), 'utf8');
export function outboxEntry(report) {
  const stored = JSON.parse(OUTBOX_ENTRY_V1);
  Object.assign(stored.data, { id: report.id, body: JSON.stringify(report) });
  return JSON.stringify(stored);
}

/** Stores reports and queues them in the outbox, as finalizing does (the body is the exact JSON). */
export async function queueReports(page, reports) {
  await idbPut(page, 'reports', reports.map((r) => [r.id, JSON.stringify({ v: REPORT_VERSION, data: r })]));
  await idbPut(page, 'outbox', reports.map((r) => [r.id, outboxEntry(r)]));
}
