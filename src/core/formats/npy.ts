// Placeholder: being implemented. Replace this whole file.
import { WeightFileError } from '../errors';
import type { WeightFormat } from './format';

export const npyFormat: WeightFormat = {
  name: 'npy',
  extensions: ['.npy'],
  sniff: () => false,
  open: async (source) => {
    throw new WeightFileError('unsupported', source.name, 'npy is not implemented yet');
  },
  encode: (_set, file) => {
    throw new WeightFileError('unsupported', file, 'npy is not implemented yet');
  },
};
