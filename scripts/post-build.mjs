// Trunk post_build hook: runs in the staging folder before it becomes dist/.
// 1. Lists every built file in sw.js (the service worker's precache list) and stamps a version
//    derived from all their bytes, so sw.js changes whenever anything in the build changes.
// 2. Writes .br and .gz siblings so the server sends precompressed bytes at maximum quality.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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
if (!sw.includes('__PRECACHE__') || !sw.includes('__VERSION__')) {
  console.error('post-build: sw.js lacks the __PRECACHE__ / __VERSION__ placeholders');
  process.exit(1);
}
const precache = JSON.stringify(files.map(urlOf));
writeFileSync(swPath, sw.replace('__PRECACHE__', precache).replace('__VERSION__', version));

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
