// Compiles the AssemblyScript SIREN kernel (src/kernels/siren) from source, twice: plain WebAssembly SIMD
// (dist/siren-simd.wasm) and relaxed SIMD with FMA (dist/siren-relaxed-simd.wasm); the loader picks the
// relaxed build where the runtime validates it. Run by scripts/build.mjs, or alone: node scripts/build-wasm.mjs
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const SOURCE = 'src/kernels/siren/siren.ts';
const COMMON = ['-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd'];
const OUTPUTS = {
  'dist/siren-simd.wasm': [],
  'dist/siren-relaxed-simd.wasm': ['--enable', 'relaxed-simd'],
};

export async function buildWasm() {
  mkdirSync('dist', { recursive: true });
  for (const [outFile, flags] of Object.entries(OUTPUTS)) {
    const { error, stderr } = await asc.main([SOURCE, '-o', outFile, ...COMMON, ...flags]);
    if (error) throw new Error(`asc failed for ${outFile}: ${error.message}\n${stderr.toString()}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildWasm();
