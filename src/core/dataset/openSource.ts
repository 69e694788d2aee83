/**
 * Opens an image source by name: a bundled dataset ('mnist', 'fashion-mnist') or a folder path. A name that
 * is neither (no such folder) is answered with the bundled names, and the closest one if it is a near miss.
 */
import { existsSync } from 'node:fs';
import { closestName } from '../text/editDistance';
import { BUNDLED_DATASETS, isBundledDataset } from './bundledDatasets';
import { loadBundledDataset } from './bundledSource';
import { loadFolderDataset } from './folderSource';
import { DatasetError, type ImageSource } from './imageSource';

export function openImageSource(nameOrPath: string): Promise<ImageSource> {
  if (isBundledDataset(nameOrPath)) return loadBundledDataset(nameOrPath);
  if (!existsSync(nameOrPath)) {
    const names = Object.keys(BUNDLED_DATASETS);
    const close = closestName(nameOrPath, names, 2);
    return Promise.reject(
      new DatasetError(
        `${nameOrPath}: no such image folder, and not a built-in dataset${close ? ` (did you mean "${close}"?)` : ''}; built-in: ${names.join(', ')}; or a folder with one sub-folder of images per class`,
      ),
    );
  }
  return loadFolderDataset(nameOrPath);
}
