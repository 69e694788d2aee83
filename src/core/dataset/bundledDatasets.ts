/**
 * The image datasets that come with the lab, offline (bundledSource.ts loads them): the one list the CLI,
 * the extension's pickers and the loader all read. `images` is the number the package holds.
 */
export const BUNDLED_DATASETS = {
  mnist: {
    title: 'MNIST',
    what: 'handwritten digits',
    images: 10_000,
    packageName: 'mnist',
    folder: 'src/digits',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    title: 'Fashion-MNIST',
    what: 'clothing images',
    images: 70_000,
    packageName: 'fashion-mnist',
    folder: 'src/clothes',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
} as const;

export type BundledDatasetName = keyof typeof BUNDLED_DATASETS;

export function isBundledDataset(name: string): name is BundledDatasetName {
  return Object.prototype.hasOwnProperty.call(BUNDLED_DATASETS, name);
}
