/** Opens an image source by name: a bundled dataset ('mnist', 'fashion-mnist') or a folder path. */
import { isBundledDataset, loadBundledDataset } from './bundledSource';
import { loadFolderDataset } from './folderSource';
import type { ImageSource } from './imageSource';

export function openImageSource(nameOrPath: string): Promise<ImageSource> {
  return isBundledDataset(nameOrPath) ? loadBundledDataset(nameOrPath) : loadFolderDataset(nameOrPath);
}
