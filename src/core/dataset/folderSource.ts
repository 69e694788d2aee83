/**
 * A folder of the user's own images: `DIR/<class name>/<image>.png|.jpg|.jpeg`. Labels are the
 * sub-folders in sorted order; images are sorted by path. All images must have the size of the first;
 * the dataset is grey (1 output) when the first image is grey, else RGB (3 outputs).
 */
import { readFile } from 'node:fs/promises';
import { decodeImage } from '../image/codec';
import { listClassFolders } from './classFolders';
import { DatasetError, type ImageSource, type SourceImage } from './imageSource';

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

class FolderSource implements ImageSource {
  constructor(
    readonly name: string,
    readonly classes: readonly string[],
    private readonly files: readonly { path: string; label: number }[],
    readonly height: number,
    readonly width: number,
    readonly channels: number,
  ) {}

  get count(): number {
    return this.files.length;
  }

  label(index: number): number {
    return this.entry(index).label;
  }

  async image(index: number): Promise<SourceImage> {
    const { path, label } = this.entry(index);
    const decoded = decodeImage(await readFile(path), path);
    if (decoded.width !== this.width || decoded.height !== this.height) {
      throw new DatasetError(
        `${path}: image is ${decoded.width}×${decoded.height} but the dataset is ${this.width}×${this.height} (the size of the first image)`,
      );
    }
    if (this.channels === 3) return { pixels: decoded.rgb, label };
    const grey = new Float32Array(this.width * this.height);
    for (let p = 0; p < grey.length; p++) grey[p] = (decoded.rgb[3 * p]! + decoded.rgb[3 * p + 1]! + decoded.rgb[3 * p + 2]!) / 3;
    return { pixels: grey, label };
  }

  private entry(index: number) {
    const e = this.files[index];
    if (!e) throw new DatasetError(`${this.name}: image index ${index} is out of range 0…${this.count - 1}`);
    return e;
  }
}

export async function loadFolderDataset(dir: string): Promise<ImageSource> {
  const { classes, files } = await listClassFolders(dir, IMAGE_EXTENSIONS, 'image', 'cats/*.png');
  if (files.length === 0) throw new DatasetError(`${dir}: no .png, .jpg or .jpeg images in its class folders`);
  const first = decodeImage(await readFile(files[0]!.path), files[0]!.path);
  let grey = true;
  for (let p = 0; p < first.width * first.height && grey; p++) {
    grey = first.rgb[3 * p] === first.rgb[3 * p + 1] && first.rgb[3 * p] === first.rgb[3 * p + 2];
  }
  return new FolderSource(dir, classes, files, first.height, first.width, grey ? 1 : 3);
}
