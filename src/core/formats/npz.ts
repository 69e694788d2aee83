// Placeholder: being implemented. Replace this whole file.
import { WeightFileError } from '../errors';
import type { WeightFormat } from './format';

export const npzFormat: WeightFormat = {
  name: 'npz',
  extensions: ['.npz'],
  sniff: () => false,
  open: async (source) => {
    throw new WeightFileError('unsupported', source.name, 'npz is not implemented yet');
  },
  encode: (_set, file) => {
    throw new WeightFileError('unsupported', file, 'npz is not implemented yet');
  },
};
