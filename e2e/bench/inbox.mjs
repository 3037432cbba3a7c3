// The workspace's list of incoming reports on a database of 100,000 reports made by
// `veilig-generate` (server/src/bin/veilig-generate.rs): the first page and a filter change,
// timed over loopback (the server's time plus a loopback round trip), against `GET
// /api/health` on the same server in the same run. Reported, never asserted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ROOT, api, launch, loginAs, startServer, tempDir } from '../tests/helpers.mjs';

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.round((xs.length - 1) * p))];

async function timed(url, cookie, n) {
  const times = [];
  let failures = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {} });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) failures++;
  }
  return { p50: pct(times, 0.5), p95: pct(times, 0.95), n, failures };
}

/**
 * Generates the database, starts the server on it, and times the list as P&O (who reads
 * all 100,000) and as a team's manager (about a tenth). `page` (optional) measures the time in
 * Chromium until the list is shown: `page(server, cookie)` returns {first, filter} arrays.
 */
export async function benchInbox({ count = 100_000, runs = 40, chromium, dist } = {}) {
  const data = tempDir('bench-inbox');
  const t0 = performance.now();
  await promisify(execFile)(join(ROOT, 'target/release/veilig-generate'), ['--data-dir', data.dir, '--count', String(count)], { maxBuffer: 1 << 24 });
  const generateSeconds = (performance.now() - t0) / 1000;
  const server = await startServer({ dataDir: data.dir, ...(dist ? { dist } : {}) });
  try {
    const po = await loginAs(server, 'po');
    const base = server.url.replace(/\/$/, '');
    // Warm up SQLite's page cache as a server that has run a while would have it.
    await timed(`${base}/api/v1/inbox`, po, 3);
    const total = (await api(server.url, 'GET', '/api/v1/inbox', { cookie: po })).json.total;
    const out = {
      count,
      total,
      generateSeconds,
      health: await timed(`${base}/api/health`, null, runs),
      first: await timed(`${base}/api/v1/inbox`, po, runs),
      filter: await timed(`${base}/api/v1/inbox?situatie=telefoon&letsel=ja`, po, runs),
      late: await timed(`${base}/api/v1/inbox?state=te_laat`, po, runs),
      summary: await timed(`${base}/api/v1/inbox/summary`, po, runs),
      tasks: await timed(`${base}/api/v1/tasks`, po, runs),
    };
    if (chromium) out.chromium = await chromium(server, po);
    return out;
  } finally {
    await server.stop();
    data.remove?.();
  }
}

const ms = (x) => `${x.toFixed(1)} ms`;

/**
 * In Chromium, logged in as P&O (the session cookie put in the browser): from navigating to
 * /werkruimte/ until the first page of the list is shown, and from pressing "Filteren" with
 * another setting until the new list is shown. The bundle is cached after the first run, as it
 * is for someone who uses the workspace daily.
 */
export async function inboxInChromium(server, cookie, runs = 15) {
  const { context } = await launch({ viewport: { width: 1100, height: 900 } });
  const [name, value] = cookie.split('=');
  const url = new URL(server.url);
  await context.addCookies([{ name, value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
  const first = [];
  const filter = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(new URL('/werkruimte/', server.url).href);
      await page.locator('ul.reports li.report').first().waitFor();
      const shown = performance.now() - t0;
      const before = await page.locator('h2#lijst').textContent();
      await page.selectOption('#f-situatie', i % 2 ? 'telefoon' : 'kantoor');
      const t1 = performance.now();
      await page.locator('form.filters button[type=submit]').click();
      await page.waitForFunction((b) => {
        const h = document.querySelector('h2#lijst');
        return h && h.textContent !== b && document.querySelector('ul.reports li.report');
      }, before);
      const filtered = performance.now() - t1;
      // The first run loads the bundle: left out.
      if (i > 0) {
        first.push(shown);
        filter.push(filtered);
      }
      await page.close();
    }
  } finally {
    await context.close();
  }
  return { first, filter };
}

export function inboxMarkdown(r) {
  const row = (name, t) => `| ${name} | ${ms(t.p50)} | ${ms(t.p95)} | ${(t.p95 / r.health.p95).toFixed(1)}× |`;
  const lines = [
    '## Workspace: the list of incoming reports',
    '',
    `A database of ${r.count.toLocaleString('en')} reports made by \`veilig-generate\` (${r.generateSeconds.toFixed(0)} s), read as P&O (who may read all ${r.total.toLocaleString('en')}). Each request timed over loopback (server time plus a loopback round trip), ${r.first.n} times in a row; the baseline is \`GET /api/health\` on the same server in the same run. Target: p95 under 100 ms on the server.`,
    '',
    '| request | p50 | p95 | p95 / baseline p95 |',
    '|---|---|---|---|',
    row('baseline `GET /api/health`', r.health),
    row('first page (`GET /api/v1/inbox`, 50 of all, with the count)', r.first),
    row('filter change (`?situatie=telefoon&letsel=ja`)', r.filter),
    row('late tasks (`?state=te_laat`)', r.late),
    row('what waits (`/api/v1/inbox/summary`)', r.summary),
    row('my tasks (`/api/v1/tasks`)', r.tasks),
  ];
  const failures = ['health', 'first', 'filter', 'late', 'summary', 'tasks'].reduce((n, k) => n + r[k].failures, 0);
  lines.push('', `Failures: ${failures}.`);
  if (r.chromium) {
    lines.push(
      '',
      `In Chromium (the workspace bundle, logged in as P&O): until the first page is shown ${ms(pct(r.chromium.first, 0.5))} p50, ${ms(pct(r.chromium.first, 0.95))} p95; after a filter change until the new list is shown ${ms(pct(r.chromium.filter, 0.5))} p50, ${ms(pct(r.chromium.filter, 0.95))} p95 (${r.chromium.first.length} runs each).`,
    );
  } else {
    lines.push('', 'In Chromium: not measured in this run.');
  }
  return lines.join('\n');
}

// `node bench/inbox.mjs` runs this part alone and prints it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchInbox({ count: Number(process.env.BENCH_REPORTS ?? 100_000), dist: process.env.BENCH_DIST, chromium: process.env.BENCH_DIST ? undefined : inboxInChromium });
  console.log(inboxMarkdown(r));
  process.exit(0);
}
