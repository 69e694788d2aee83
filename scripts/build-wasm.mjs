// Compiles the AssemblyScript kernels from source — the SIREN fitting kernel (src/kernels/siren) and the
// training kernels of the equivariant models (src/kernels/train) — each twice: plain WebAssembly SIMD
// (dist/NAME-simd.wasm) and relaxed SIMD with FMA (dist/NAME-relaxed-simd.wasm); the loader picks the
// relaxed build where the runtime validates it. Run by scripts/build.mjs, or alone: node scripts/build-wasm.mjs
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const KERNELS = { siren: 'src/kernels/siren/siren.ts', train: 'src/kernels/train/train.ts' };
const COMMON = ['-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd'];
const FLAVOURS = { simd: [], 'relaxed-simd': ['--enable', 'relaxed-simd'] };

export async function buildWasm() {
  mkdirSync('dist', { recursive: true });
  for (const [name, source] of Object.entries(KERNELS)) {
    for (const [flavour, flags] of Object.entries(FLAVOURS)) {
      const outFile = `dist/${name}-${flavour}.wasm`;
      const { error, stderr } = await asc.main([source, '-o', outFile, ...COMMON, ...flags]);
      if (error) throw new Error(`asc failed for ${outFile}: ${error.message}\n${stderr.toString()}`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildWasm();
