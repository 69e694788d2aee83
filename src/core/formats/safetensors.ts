// Placeholder: being implemented.
import { WeightFileError } from '../errors';
import type { WeightFormat } from './format';

export const safetensorsFormat: WeightFormat = {
  name: 'safetensors',
  extensions: ['.safetensors'],
  sniff: () => false,
  open: async (source) => {
    throw new WeightFileError('unsupported', source.name, 'not implemented yet');
  },
  encode: (_set, file) => {
    throw new WeightFileError('unsupported', file, 'not implemented yet');
  },
};
