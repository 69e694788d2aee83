// Placeholder: being implemented. Replace this whole file.
import { WeightFileError } from '../errors';
import type { WeightFormat } from './format';

export const pthFormat: WeightFormat = {
  name: 'pth',
  extensions: ['.pth'],
  sniff: () => false,
  open: async (source) => {
    throw new WeightFileError('unsupported', source.name, 'pth is not implemented yet');
  },
  encode: (_set, file) => {
    throw new WeightFileError('unsupported', file, 'pth is not implemented yet');
  },
};
