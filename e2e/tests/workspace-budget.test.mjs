// The workspace's first load (issue 15): what a manager's browser downloads before the
// workspace runs (index.html + CSS + JS + wasm), measured as the real server sends it (brotli),
// and kept out of the field app's service worker.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DIST, startServer } from './helpers.mjs';

const BUDGET = 250 * 1024;
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** GET `path` with `Accept-Encoding: br`: status, encoding and the bytes on the wire. */
function raw(base, path) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks).length, text: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test(`the workspace's first load (HTML + CSS + JS + wasm, brotli as served) is at most ${BUDGET / 1024} KB`, async () => {
  const server = await startServer();
  cleanups.push(() => server.stop());
  const html = readFileSync(join(DIST, 'werkruimte/index.html'), 'utf8');
  const assets = [
    '/werkruimte/',
    ...[...html.matchAll(/href=["']?(\/werkruimte\/[^"' >]+\.css)/g)].map((m) => m[1]),
    ...[...html.matchAll(/from\s+'(\/werkruimte\/[^']+\.js)'/g)].map((m) => m[1]),
    ...[...html.matchAll(/module_or_path:\s*'(\/werkruimte\/[^']+\.wasm)'/g)].map((m) => m[1]),
  ];
  assert.deepEqual(assets.slice(1).map((a) => a.split('.').pop()), ['css', 'js', 'wasm']);
  const sizes = {};
  for (const path of assets) {
    const res = await raw(server.url, path);
    assert.equal(res.status, 200, path);
    assert.equal(res.encoding, 'br', `${path} is sent precompressed`);
    sizes[path] = res.bytes;
  }
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log(`workspace first load: ${total} B brotli ${JSON.stringify(sizes)}`);
  assert.ok(total <= BUDGET, `${total} B > ${BUDGET} B: ${JSON.stringify(sizes)}`);
});

test("the field app's service worker does not precache the workspace, and leaves its addresses alone", () => {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const precache = JSON.parse(sw.match(/const PRECACHE = (\[.*?\]);/s)[1]);
  assert.ok(precache.length > 0);
  assert.deepEqual(precache.filter((u) => u.startsWith('/werkruimte')), []);
  assert.match(sw, /url\.pathname\.startsWith\('\/werkruimte\/'\)\) return;/);
});
