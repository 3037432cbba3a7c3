// The steps both Trunk post_build hooks share (post-build.mjs for the app, post-build-workspace.mjs
// for the workspace): the staging folder, minifying the wasm-bindgen JS with a checked
// Subresource Integrity hash, and precompressing. Each hook adds only what is its own.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Trunk's staging folder; stops the hook `who` when it runs outside Trunk. */
export function stagingDir(who) {
  const staging = process.env.TRUNK_STAGING_DIR;
  if (!staging) fail(who, 'TRUNK_STAGING_DIR is not set (run through trunk)');
  return staging;
}

export function fail(who, message) {
  console.error(`${who}: ${message}`);
  process.exit(1);
}

export const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });

export const isCompressedCopy = (file) => file.endsWith('.br') || file.endsWith('.gz');

// terser is pinned in e2e/package.json with the other npm tools (`./x setup` installs it).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { minify } = createRequire(join(root, 'e2e', 'package.json'))('terser');
const sri = (bytes) => 'sha384-' + createHash('sha384').update(bytes).digest('base64');

/**
 * Minifies every `.js` in the staging folder that `include` takes with terser (Trunk's own
 * minifier fails on wasm-bindgen's JS and leaves it as is), puts each new Subresource Integrity
 * hash into index.html, and checks every hash index.html names against its file: a wrong one
 * would stop the browser from running the app. `classic(name)`: a classic script (no module
 * scope, its top-level names kept). `publicUrl`: where the build is served ('/' or
 * '/werkruimte/'); an integrity-checked address outside it stops the build.
 */
export async function minifyAndSign(who, staging, { publicUrl = '/', include = () => true, classic = () => false } = {}) {
  const indexPath = join(staging, 'index.html');
  let index = readFileSync(indexPath, 'utf8');
  for (const name of readdirSync(staging).filter((n) => n.endsWith('.js') && include(n))) {
    const path = join(staging, name);
    const before = readFileSync(path);
    const { code } = await minify(before.toString('utf8'), {
      module: !classic(name),
      compress: { passes: 2 },
      mangle: true,
    });
    writeFileSync(path, code);
    if (index.includes(sri(before))) index = index.replace(sri(before), sri(Buffer.from(code)));
  }
  writeFileSync(indexPath, index);
  for (const [tag] of index.matchAll(/<link[^>]*integrity[^>]*>/g)) {
    const href = tag.match(/href=["']?([^"' >]+)/)[1];
    if (!href.startsWith(publicUrl)) fail(who, `${href} is not under ${publicUrl}`);
    const integrity = tag.match(/integrity=["']?([^"' >]+)/)[1];
    if (sri(readFileSync(join(staging, href.slice(publicUrl.length)))) !== integrity) {
      fail(who, `integrity of ${href} in index.html does not match the file`);
    }
  }
}

/** Writes .br and .gz siblings at maximum quality (the server sends them as they are). */
export function precompress(staging) {
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
  return { raw, br };
}
