// Trunk post_build hook: runs in the staging folder before it becomes dist/.
// 0. Minifies the wasm-bindgen JS with terser (Trunk's own minifier fails on it and leaves it
//    as is) and puts the new Subresource Integrity hash into index.html.
// 0b. Names the service worker's outbox code (Trunk's worker build of src/bin/veilig-sw.rs,
//    written without a hash) after its content, and tells sw.js where it is (`__WORKER__`).
// 1. Lists every built file in sw.js (the service worker's precache list) and stamps a version
//    derived from all their bytes, so sw.js changes whenever anything in the build changes.
// 2. Writes .br and .gz siblings so the server sends precompressed bytes at maximum quality.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fail, isCompressedCopy, minifyAndSign, precompress, stagingDir, walk } from './build-steps.mjs';

const WHO = 'post-build';
const staging = stagingDir(WHO);
const WORKER = 'veilig-sw';
// The worker's glue is a classic script that defines the global `wasm_bindgen`: no module
// scope, and its top-level names must stay. sw.js is written below, not minified.
await minifyAndSign(WHO, staging, { include: (n) => n !== 'sw.js', classic: (n) => n === `${WORKER}.js` });

const workerFiles = [`${WORKER}.js`, `${WORKER}_bg.wasm`].map((n) => join(staging, n));
for (const file of workerFiles) {
  if (!existsSync(file)) fail(WHO, `${file} is missing (the worker build in index.html)`);
}
const workerHash = createHash('sha256');
for (const file of workerFiles) workerHash.update(readFileSync(file));
const workerStem = `${WORKER}-${workerHash.digest('hex').slice(0, 16)}`;
const worker = { js: `/${workerStem}.js`, wasm: `/${workerStem}_bg.wasm` };
renameSync(workerFiles[0], join(staging, worker.js));
renameSync(workerFiles[1], join(staging, worker.wasm));

const urlOf = (file) => '/' + relative(staging, file).split(sep).join('/');

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
  fail(WHO, 'sw.js lacks the __PRECACHE__ / __VERSION__ / __WORKER__ placeholders');
}
const precache = JSON.stringify(files.map(urlOf));
writeFileSync(
  swPath,
  sw
    .replace('__PRECACHE__', precache)
    .replace('__VERSION__', version)
    .replace('__WORKER__', JSON.stringify(worker)),
);

const { raw, br } = precompress(staging);
console.log(`post-build: ${files.length} files precached, version ${version}; text ${raw} B -> ${br} B brotli`);
