// Trunk post_build hook of the workspace (workspace/Trunk.toml): runs in its staging folder
// before it becomes dist/werkruimte/. The app's steps (build-steps.mjs) without a service
// worker (the workspace is online first and the app's worker must not precache it):
// 1. minifies the wasm-bindgen JS and puts its checked Subresource Integrity hash into
//    index.html;
// 2. writes .br and .gz siblings so the server sends precompressed bytes at maximum quality.
import { minifyAndSign, precompress, stagingDir } from './build-steps.mjs';

const WHO = 'post-build-workspace';
const staging = stagingDir(WHO);
await minifyAndSign(WHO, staging, { publicUrl: '/werkruimte/' });
const { raw, br } = precompress(staging);
console.log(`${WHO}: text ${raw} B -> ${br} B brotli`);
