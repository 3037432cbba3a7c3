// Veilig's benchmarks, in real Chromium against the served release build. Writes BENCHMARKS.md.
// Timings are medians of repeated runs, with a baseline measured in the same run; they are
// reported, never asserted (2-core machines are noisy).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchInbox, inboxInChromium, inboxMarkdown } from './inbox.mjs';
import { CHROMIUM_ARGS, enrollDevice, DIST, REPORT_VERSION, ROOT, dispatchSync, enrollPage, idbPut, launch, queueReports, receivedReports, sampleReport, startServer, tempDir, waitForServiceWorker } from '../tests/helpers.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.round((xs.length - 1) * p))];
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (x) => `${(x / 1024).toFixed(1)} KB`;

// A static page with the home screen's content and the same stylesheet: the floor.
function staticDist() {
  const dir = tempDir('bench-dist');
  cpSync(DIST, dir.dir, { recursive: true });
  const css = readdirSync(DIST).find((f) => f.endsWith('.css') && f.startsWith('main-'));
  writeFileSync(
    join(dir.dir, 'static-home.html'),
    `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Veilig</title><link rel="stylesheet" href="/${css}"></head><body><header class="topbar"><a class="brand" href="/"><span class="brand-name">Veilig</span></a><a class="call-112" href="tel:112">112</a></header><main id="main"><section class="home"><h1>Wat gebeurt er?</h1><p class="lead">Kies waar je bent. Je krijgt steeds één stap.</p><div class="bigbuttons"><a class="big" href="/protocol/kantoor">Op kantoor</a><a class="big" href="/protocol/woning">Huisbezoek</a><a class="big" href="/protocol/telefoon">Telefoon</a><a class="big big-extreme" href="/extreem">Extreem incident</a></div></section></main></body></html>`,
  );
  return dir;
}

// Records when the first protocol button exists (index.html's plain home screen, or the app's),
// when the app has started (its home rendered by the wasm), and the app's wasm, for memory.
const MARK_SCRIPT = () => {
  window.__marks = {};
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__wasm = e.detail.wasm;
    window.__marks.app = performance.now();
  });
  new MutationObserver(() => {
    if (!window.__marks.button && document.querySelector('.bigbuttons a')) window.__marks.button = performance.now();
    if (!window.__marks.step && document.querySelector('h2.step-text')) window.__marks.step = performance.now();
    if (window.__marks.tapped && !window.__marks.stepAfterTap && document.querySelector('h2.step-text')) window.__marks.stepAfterTap = performance.now();
  }).observe(document, { childList: true, subtree: true });
};

/** Time to the first protocol button and, for the app, until it runs (`app`). */
async function timeToButton(context, url, { app = false } = {}) {
  const page = await context.newPage();
  await page.addInitScript(MARK_SCRIPT);
  await page.goto(url);
  await page.waitForFunction((app) => window.__marks.button && (!app || window.__marks.app), app);
  const t = await page.evaluate(() => window.__marks);
  await page.close();
  return t;
}

async function firstLoadSizes(url, ready = '.bigbuttons a') {
  const { context } = await launch();
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', async (req) => {
    const s = await req.sizes().catch(() => null);
    const res = await req.response();
    if (s && res) sizes.push({ url: new URL(req.url()).pathname, encoded: s.responseBodySize, encoding: (await res.allHeaders())['content-encoding'] ?? '' });
  });
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  await context.close();
  const seen = new Set();
  return sizes.filter((s) => s.encoded > 0 && !s.url.startsWith('/api/') && s.url !== '/sw.js' && !seen.has(s.url) && seen.add(s.url));
}

async function main() {
  const dist = staticDist();
  const data = tempDir('bench-data');
  const server = await startServer({ dist: dist.dir, dataDir: data.dir });
  const appUrl = server.url;
  const staticUrl = new URL('/static-home.html', server.url).href;
  const out = {};

  out.sizes = await firstLoadSizes(appUrl);
  // The workspace, a bundle of its own, loaded only by those who open it (its login page).
  out.workspaceSizes = await firstLoadSizes(new URL('/werkruimte/', server.url).href, 'input');

  // Cold start: a fresh profile each run.
  const cold = { app: [], running: [], floor: [] };
  for (let i = 0; i < RUNS; i++) {
    {
      const { context } = await launch();
      const marks = await timeToButton(context, appUrl, { app: true });
      cold.app.push(marks.button);
      cold.running.push(marks.app);
      await context.close();
    }
    const { context } = await launch();
    cold.floor.push((await timeToButton(context, staticUrl)).button);
    await context.close();
  }
  out.cold = cold;

  // Warm offline start: one profile, first visit online, then the network off.
  const warm = { app: [], running: [], floor: [], tap: [] };
  {
    const profile = tempDir('bench-warm');
    const { context } = await launch({ profileDir: profile.dir });
    const first = await context.newPage();
    await first.goto(appUrl);
    await waitForServiceWorker(first);
    await first.close();
    // The floor warms up in a profile of its own: in the app's, the service worker answers
    // every navigation with the app shell.
    {
      const floor = await launch();
      await timeToButton(floor.context, staticUrl);
      for (let i = 0; i < RUNS; i++) warm.floor.push((await timeToButton(floor.context, staticUrl)).button);
      await floor.context.close();
    }
    await context.setOffline(true);
    for (let i = 0; i < RUNS; i++) {
      const marks = await timeToButton(context, appUrl, { app: true });
      warm.app.push(marks.button);
      warm.running.push(marks.app);
    }
    // Tap "Op kantoor" to the first step shown.
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      await page.addInitScript(MARK_SCRIPT);
      await page.goto(appUrl);
      // A tap inside the running app (a tap on the plain home screen waits for the start).
      await page.waitForFunction(() => window.__marks.button && window.__marks.app);
      await page.evaluate(() => {
        const a = [...document.querySelectorAll('.bigbuttons a')].find((x) => x.textContent === 'Op kantoor');
        window.__marks.tapped = performance.now();
        a.click();
      });
      await page.waitForFunction(() => window.__marks.stepAfterTap);
      warm.tap.push(await page.evaluate(() => window.__marks.stepAfterTap - window.__marks.tapped));
      await page.close();
    }
    await context.close();
    profile.remove();
  }
  out.warm = warm;

  // Autosave with 100 drafts stored; then memory after walking every screen.
  {
    const { context } = await launch();
    const page = await context.newPage();
    await page.addInitScript(MARK_SCRIPT);
    await page.goto(new URL('/registraties', appUrl).href);
    await page.getByRole('heading', { level: 1, name: 'Registraties' }).waitFor();
    const drafts = Array.from({ length: 100 }, (_, i) => sampleReport(i, { final: false, description: `Melding ${i} ${'tekst '.repeat(80)}` }));
    await idbPut(page, 'reports', drafts.map((r) => [r.id, JSON.stringify({ v: REPORT_VERSION, data: r })]));
    await page.goto(new URL(`/registraties/${drafts[0].id}`, appUrl).href);
    await page.locator('#f-plaats').waitFor();
    await page.evaluate(() => {
      window.__saves = [];
      const status = document.querySelector('.save-status');
      document.querySelector('#f-plaats').addEventListener('input', () => (window.__typed = performance.now()), true);
      new MutationObserver(() => {
        if (status.querySelector('.ok') && window.__typed) {
          window.__saves.push(performance.now() - window.__typed);
          window.__typed = 0;
        }
      }).observe(status, { childList: true, subtree: true, characterData: true });
    });
    for (let i = 0; i < 60; i++) {
      const before = await page.evaluate(() => window.__saves.length);
      await page.locator('#f-plaats').press('a');
      await page.waitForFunction((n) => window.__saves.length > n, before);
    }
    out.autosave = await page.evaluate(() => window.__saves);
    for (const path of ['/', '/protocol/kantoor', '/protocol/woning', '/protocol/telefoon', '/extreem', '/naslag', '/kaart', '/instellingen', '/registraties', `/registraties/${drafts[1].id}`, '/verzenden']) {
      await page.evaluate((p) => {
        history.pushState(null, '', p);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(100);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    out.memory = {
      wasm: await page.evaluate(() => window.__wasm?.memory?.buffer.byteLength ?? null),
      jsHeap: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null,
    };
    await context.close();
  }

  // The PWA sends 500 queued reports.
  {
    const { context } = await launch();
    const page = await context.newPage();
    await page.goto(new URL('/verzenden', appUrl).href);
        await enrollPage(page, server);
    await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
    await queueReports(page, Array.from({ length: 500 }, (_, i) => sampleReport(10_000 + i)));
    await page.reload();
    await page.locator('.sync-badge').waitFor({ timeout: 10000 }).catch(() => {});
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Nu verzenden' }).click();
    await page.waitForFunction(() => !document.querySelector('.sync-badge'), null, { timeout: 300000 });
    out.send500 = Date.now() - t0;
    await context.close();
  }

  // Background delivery: the service worker (the app's Rust outbox code, its own wasm) sends 100
  // queued reports on a Background Sync with the app closed, against the app sending 100 from
  // its outbox page. Both cold: a fresh profile, the worker's wasm not yet instantiated.
  {
    const N = 100;
    const arrived = async () => (await receivedReports(appUrl)).length;
    const worker = { first: [], all: [] };
    const app = [];
    for (let run = 0; run < 3; run++) {
      {
        const { context } = await launch();
        const page = await context.newPage();
        await page.goto(new URL('/verzenden', appUrl).href);
        await enrollPage(page, server);
        await waitForServiceWorker(page);
        await context.setOffline(true); // the app must not send them itself
        await queueReports(page, Array.from({ length: N }, (_, i) => sampleReport(20_000 + run * 1000 + i)));
        await page.close();
        const before = await arrived();
        const t0 = Date.now();
        await context.setOffline(false);
        await dispatchSync(context, { url: appUrl });
        let first = null;
        for (let n = await arrived(); n < before + N; n = await arrived()) {
          if (first === null && n > before) first = Date.now() - t0;
          await new Promise((r) => setTimeout(r, 20));
        }
        worker.first.push(first ?? Date.now() - t0);
        worker.all.push(Date.now() - t0);
        await context.close();
      }
      {
        const { context } = await launch();
        const page = await context.newPage();
        await page.goto(new URL('/verzenden', appUrl).href);
        await enrollPage(page, server);
        await page.getByRole('heading', { level: 1, name: 'Verzenden' }).waitFor();
        await context.setOffline(true);
        await queueReports(page, Array.from({ length: N }, (_, i) => sampleReport(40_000 + run * 1000 + i)));
        const t0 = Date.now();
        await context.setOffline(false); // the app's `online` listener starts sending
        await page.getByRole('button', { name: 'Nu verzenden' }).click();
        await page.waitForFunction(() => !document.querySelector('.sync-badge'), null, { timeout: 120000 });
        app.push(Date.now() - t0);
        await context.close();
      }
    }
    const precached = readdirSync(DIST).filter((f) => f.startsWith('veilig-sw-') && f.endsWith('.br'));
    out.background = {
      n: N,
      first: median(worker.first),
      all: median(worker.all),
      app: median(app),
      bytes: precached.reduce((a, f) => a + statSync(join(DIST, f)).size, 0),
    };
  }

  // Server ingest over loopback, and the server's memory under it.
  const ingestBin = join(ROOT, 'target/release/examples/ingest');
  // As an enrolled device: the credential is checked on every report (a hash lookup, no Argon2).
  const ingestDevice = await enrollDevice(server);
  // Not execFileSync: Node must keep reading the server's output (its access log) meanwhile,
  // or the pipe fills and the server waits on it.
  const ingest = await promisify(execFile)(ingestBin, [server.url.replace(/\/$/, ''), '5000', '16'], {
    encoding: 'utf8',
    env: { ...process.env, INGEST_COOKIE: ingestDevice },
  });
  out.ingest = JSON.parse(ingest.stdout);
  const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  out.serverRss = Number(status.match(/VmHWM:\s+(\d+)/)[1]) * 1024;

  // Lighthouse (mobile, its defaults) on the served release build.
  {
    const reportPath = join(data.dir, 'lighthouse.json');
    await promisify(execFile)(
      join(ROOT, 'e2e/node_modules/.bin/lighthouse'),
      [
        appUrl,
        '--quiet',
        '--output=json',
        `--output-path=${reportPath}`,
        '--only-categories=performance,accessibility,best-practices',
        `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`,
      ],
      { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const lh = JSON.parse(readFileSync(reportPath, 'utf8'));
    out.lighthouse = Object.fromEntries(Object.entries(lh.categories).map(([k, v]) => [k, Math.round(v.score * 100)]));
    out.lighthouseLcp = lh.audits['largest-contentful-paint']?.displayValue;
  }

  await server.stop();
  dist.remove();
  data.remove();
  return out;
}

const r = await main();
// The workspace's list on 100,000 reports (its own server and database).
const inbox = await benchInbox({ chromium: inboxInChromium });
const chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
const total = r.sizes.reduce((a, s) => a + s.encoded, 0);
const workspaceLoad = r.workspaceSizes.filter((s) => /\.(wasm|js|css)$/.test(s.url) || s.url === '/werkruimte/').reduce((a, s) => a + s.encoded, 0);
const firstLoad = r.sizes.filter((s) => /\.(wasm|js|css)$/.test(s.url) || s.url === '/').reduce((a, s) => a + s.encoded, 0);
const lines = [
  '# Benchmarks',
  '',
  `Written by \`./x bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium}. Timings are medians of ${RUNS} runs on a noisy shared machine; compare the ratios, which are measured against a baseline in the same run.`,
  '',
  '## First load (transfer, compressed)',
  '',
  '| asset | encoding | bytes |',
  '|---|---|---|',
  ...r.sizes.map((s) => `| \`${s.url.replace(/-[0-9a-f]{8,16}/, '-<hash>')}\` | ${s.encoding || 'none'} | ${s.encoded} |`),
  `| **HTML + JS + CSS + wasm** | | **${firstLoad} (${kb(firstLoad)})** |`,
  `| everything on first load (incl. manifest, icons) | | ${total} (${kb(total)}) |`,
  '',
  'Budget (issue 7): at most 250 KB for HTML + JS + CSS + wasm.',
  '',
  '### The workspace (`/werkruimte/`, its own bundle)',
  '',
  '| asset | encoding | bytes |',
  '|---|---|---|',
  ...r.workspaceSizes.map((s) => `| \`${s.url.replace(/-[0-9a-f]{8,16}/, '-<hash>')}\` | ${s.encoding || 'none'} | ${s.encoded} |`),
  `| **HTML + JS + CSS + wasm** | | **${workspaceLoad} (${kb(workspaceLoad)})** |`,
  '',
  'Budget (issue 15): at most 250 KB, like the field app; loaded only by managers, P&O and the beheerder, never precached by the field app.',
  '',
  '## Start-up: until the first protocol button can be tapped',
  '',
  "index.html carries the home screen as plain HTML (`#boot`): its buttons can be tapped before the wasm runs, and a tap is opened as soon as it does. Both moments are measured: the first tappable button, and the app running (its own home rendered).",
  '',
  '| | app | static page (floor) | ratio |',
  '|---|---|---|---|',
  `| cold (first visit, empty profile): first button tappable | ${ms(median(r.cold.app))} | ${ms(median(r.cold.floor))} | ${(median(r.cold.app) / median(r.cold.floor)).toFixed(1)}× |`,
  `| cold: app running | ${ms(median(r.cold.running))} | ${ms(median(r.cold.floor))} | ${(median(r.cold.running) / median(r.cold.floor)).toFixed(1)}× |`,
  `| warm offline (service worker, network off) vs warm static page: first button tappable | ${ms(median(r.warm.app))} | ${ms(median(r.warm.floor))} | ${(median(r.warm.app) / median(r.warm.floor)).toFixed(1)}× |`,
  `| warm offline: app running | ${ms(median(r.warm.running))} | ${ms(median(r.warm.floor))} | ${(median(r.warm.running) / median(r.warm.floor)).toFixed(1)}× |`,
  '',
  `Tap "Op kantoor" → first step shown: ${ms(median(r.warm.tap))} (median).`,
  '',
  '## Device storage',
  '',
  `One autosave (input event → "Opgeslagen" shown, i.e. the IndexedDB transaction completed) with 100 drafts stored: p50 ${ms(pct(r.autosave, 0.5))}, p95 ${ms(pct(r.autosave, 0.95))} (${r.autosave.length} saves).`,
  '',
  `Memory after walking every screen with 100 drafts stored: wasm linear memory ${r.memory.wasm === null ? 'n/a' : kb(r.memory.wasm)}, JS heap ${r.memory.jsHeap === null ? 'n/a' : kb(r.memory.jsHeap)}.`,
  '',
  '## Sync',
  '',
  `The PWA sends 500 queued reports: ${(r.send500 / 1000).toFixed(1)} s (${(500 / (r.send500 / 1000)).toFixed(0)} reports/s, one request at a time, each stored in its own SQLite transaction).`,
  '',
  `Background delivery (the service worker, app closed, cold: a fresh profile): ${r.background.n} queued reports sent on a Background Sync in ${(r.background.all / 1000).toFixed(2)} s, the first one stored after ${ms(r.background.first)} (loading the worker's wasm included); the app sending the same ${r.background.n} from its outbox page: ${(r.background.app / 1000).toFixed(2)} s (worker / app: ${(r.background.all / r.background.app).toFixed(2)}×). Medians of 3. The worker runs the app's own outbox code (src/bin/veilig-sw.rs); its files add ${kb(r.background.bytes)} of brotli to the precache, not to the first load.`,
  '',
  `Server ingest over loopback (${r.ingest.concurrency} concurrent clients, ${r.ingest.ingest.requests} reports): ${r.ingest.ingest.per_second.toFixed(0)} reports/s, p50 ${ms(r.ingest.ingest.p50_ms)}, p99 ${ms(r.ingest.ingest.p99_ms)}; baseline \`GET /api/health\` on the same server and client: ${r.ingest.health.per_second.toFixed(0)} requests/s (ingest is ${(r.ingest.ingest.per_second / r.ingest.health.per_second).toFixed(2)}× the baseline). Failures: ${r.ingest.ingest.failures}. Server resident memory, peak: ${kb(r.serverRss)}.`,
  '',
  inboxMarkdown(inbox),
  '',
  '## Lighthouse (mobile, simulated throttling)',
  '',
  `Performance ${r.lighthouse.performance}, accessibility ${r.lighthouse.accessibility}, best practices ${r.lighthouse['best-practices']} (largest contentful paint ${r.lighthouseLcp}).`,
  '',
];
writeFileSync(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
console.log(lines.join('\n'));
