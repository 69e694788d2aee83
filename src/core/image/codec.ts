/**
 * PNG and JPEG to and from pixels in [0, 1] (pngjs, jpeg-js). Decoding returns RGB (alpha dropped);
 * encoding writes grey or RGB 8-bit PNGs, clamping values to [0, 1].
 */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { LabError } from '../labError';

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** RGB, pixel-major, in [0, 1]. */
  readonly rgb: Float32Array;
}

export class ImageDecodeError extends LabError {
  override readonly name = 'ImageDecodeError';
  constructor(message: string) {
    super('image-decode', message);
  }
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (startsWith(bytes, PNG_MAGIC)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      ({ width, height } = png);
      rgba = png.data;
    } else if (startsWith(bytes, JPEG_MAGIC)) {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512, maxResolutionInMP: 100 });
      ({ width, height } = decoded);
      rgba = decoded.data;
    } else {
      throw new Error('not a PNG or JPEG file');
    }
  } catch (e) {
    throw new ImageDecodeError(`${file}: cannot decode image: ${(e as Error).message}`);
  }
  const rgb = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rgba[p * 4 + c]! / 255;
  }
  return { width, height, rgb };
}

/** Writes pixels (pixel-major, 1 or 3 channels, values in [0, 1]) as an 8-bit PNG. */
export function encodePng(pixels: Float32Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  if (pixels.length !== width * height * channels) {
    throw new Error(`encodePng: ${pixels.length} values for a ${width}×${height}×${channels} image`);
  }
  const png = new PNG({ width, height, colorType: channels === 1 ? 0 : 2, inputColorType: 6, inputHasAlpha: true });
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = pixels[p * channels + (channels === 1 ? 0 : c)]!;
      png.data[p * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)));
    }
    png.data[p * 4 + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2 });
}
