// Trunk post_build hook: runs in the staging folder before it becomes dist/.
// 0. Minifies the wasm-bindgen JS with terser (Trunk's own minifier fails on it and leaves it
//    as is) and puts the new Subresource Integrity hash into index.html.
// 0b. Names the service worker's outbox code (Trunk's worker build of src/bin/veilig-sw.rs,
//    written without a hash) after its content, and tells sw.js where it is (`__WORKER__`).
// 1. Lists every built file in sw.js (the service worker's precache list) and stamps a version
//    derived from all their bytes, so sw.js changes whenever anything in the build changes.
// 2. Writes .br and .gz siblings so the server sends precompressed bytes at maximum quality.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run through trunk)');
  process.exit(1);
}

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });

// terser is pinned in e2e/package.json with the other npm tools (`./x setup` installs it).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { minify } = createRequire(join(root, 'e2e', 'package.json'))('terser');
const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');
const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
const WORKER = 'veilig-sw';
for (const name of readdirSync(staging).filter((n) => n.endsWith('.js') && n !== 'sw.js')) {
  const path = join(staging, name);
  const before = readFileSync(path);
  // The worker's glue is a classic script that defines the global `wasm_bindgen`: no module
  // scope, and its top-level names must stay.
  const module = name !== `${WORKER}.js`;
  const { code } = await minify(before.toString('utf8'), {
    module,
    compress: { passes: 2 },
    mangle: true,
  });
  writeFileSync(path, code);
  if (index.includes(sri(before))) index = index.replace(sri(before), sri(Buffer.from(code)));
}
writeFileSync(indexPath, index);
// A wrong integrity hash would stop the browser from running the app: check every one.
for (const [tag] of index.matchAll(/<link[^>]*integrity[^>]*>/g)) {
  const href = tag.match(/href=["']?\/([^"' >]+)/)[1];
  const integrity = tag.match(/integrity=["']?([^"' >]+)/)[1];
  if (sri(readFileSync(join(staging, href))) !== integrity) {
    console.error(`post-build: integrity of ${href} in index.html does not match the file`);
    process.exit(1);
  }
}

const workerFiles = [`${WORKER}.js`, `${WORKER}_bg.wasm`].map((n) => join(staging, n));
for (const file of workerFiles) {
  if (!existsSync(file)) {
    console.error(`post-build: ${file} is missing (the worker build in index.html)`);
    process.exit(1);
  }
}
const workerHash = createHash('sha256');
for (const file of workerFiles) workerHash.update(readFileSync(file));
const workerStem = `${WORKER}-${workerHash.digest('hex').slice(0, 16)}`;
const worker = { js: `/${workerStem}.js`, wasm: `/${workerStem}_bg.wasm` };
renameSync(workerFiles[0], join(staging, worker.js));
renameSync(workerFiles[1], join(staging, worker.wasm));

const urlOf = (file) => '/' + relative(staging, file).split(sep).join('/');
const isCompressedCopy = (file) => file.endsWith('.br') || file.endsWith('.gz');

const files = walk(staging)
  .filter((f) => !isCompressedCopy(f) && urlOf(f) !== '/sw.js')
  .sort();

const hash = createHash('sha256');
for (const file of files) {
  hash.update(urlOf(file));
  hash.update(readFileSync(file));
}
const version = hash.digest('hex').slice(0, 16);

const swPath = join(staging, 'sw.js');
const sw = readFileSync(swPath, 'utf8');
if (!sw.includes('__PRECACHE__') || !sw.includes('__VERSION__') || !sw.includes('__WORKER__')) {
  console.error('post-build: sw.js lacks the __PRECACHE__ / __VERSION__ / __WORKER__ placeholders');
  process.exit(1);
}
const precache = JSON.stringify(files.map(urlOf));
writeFileSync(
  swPath,
  sw
    .replace('__PRECACHE__', precache)
    .replace('__VERSION__', version)
    .replace('__WORKER__', JSON.stringify(worker)),
);

const compressible = /\.(html|js|mjs|css|wasm|json|webmanifest|svg|txt)$/;
let raw = 0;
let br = 0;
for (const file of walk(staging).filter((f) => compressible.test(f) && !isCompressedCopy(f))) {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  writeFileSync(file + '.br', brotli);
  writeFileSync(file + '.gz', gzipSync(bytes, { level: 9 }));
  raw += bytes.length;
  br += brotli.length;
}
console.log(`post-build: ${files.length} files precached, version ${version}; text ${raw} B -> ${br} B brotli`);
