// Trunk post_build hook of the workspace (workspace/Trunk.toml): runs in its staging folder
// before it becomes dist/werkruimte/. Like the app's hook (post-build.mjs), without a service
// worker (the workspace is online first and the app's worker must not precache it):
// 1. minifies the wasm-bindgen JS with terser and puts its new Subresource Integrity hash into
//    index.html (checking every one);
// 2. writes .br and .gz siblings so the server sends precompressed bytes at maximum quality.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('post-build-workspace: TRUNK_STAGING_DIR is not set (run through trunk)');
  process.exit(1);
}
const PUBLIC_URL = '/werkruimte/';

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { minify } = createRequire(join(root, 'e2e', 'package.json'))('terser');
const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');
const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
for (const name of readdirSync(staging).filter((n) => n.endsWith('.js'))) {
  const path = join(staging, name);
  const before = readFileSync(path);
  const { code } = await minify(before.toString('utf8'), { module: true, compress: { passes: 2 }, mangle: true });
  writeFileSync(path, code);
  if (index.includes(sri(before))) index = index.replace(sri(before), sri(Buffer.from(code)));
}
writeFileSync(indexPath, index);
for (const [tag] of index.matchAll(/<link[^>]*integrity[^>]*>/g)) {
  const href = tag.match(/href=["']?([^"' >]+)/)[1];
  if (!href.startsWith(PUBLIC_URL)) {
    console.error(`post-build-workspace: ${href} is not under ${PUBLIC_URL}`);
    process.exit(1);
  }
  const integrity = tag.match(/integrity=["']?([^"' >]+)/)[1];
  if (sri(readFileSync(join(staging, href.slice(PUBLIC_URL.length)))) !== integrity) {
    console.error(`post-build-workspace: integrity of ${href} in index.html does not match the file`);
    process.exit(1);
  }
}

const compressible = /\.(html|js|css|wasm|json|svg)$/;
let raw = 0;
let br = 0;
for (const file of walk(staging).filter((f) => compressible.test(f))) {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  writeFileSync(file + '.br', brotli);
  writeFileSync(file + '.gz', gzipSync(bytes, { level: 9 }));
  raw += bytes.length;
  br += brotli.length;
}
console.log(`post-build-workspace: text ${raw} B -> ${br} B brotli`);
