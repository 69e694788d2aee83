/**
 * Renders one INR of a weight file as an image: its layers are read (only its own tensors), evaluated
 * as a SIREN on the pixel grid at the asked resolution (a 3-D INR: its surface, renderImage.ts), with the file's SIREN
 * constants and label (inrContext.ts). Values are the network's raw outputs (≈ 0…1 for images).
 */
import type { WeightFileReader } from '../formats/format';
import { DEFAULT_VIEW, renderInrImage, type InrView } from '../inr/renderImage';
import type { SirenSpec } from '../inr/spec';
import type { Layer } from '../weights/network';
import { mlpView } from '../weights/mlp';
import type { WeightSet } from '../weights/weightSet';
import type { InrContext } from './inrContext';
import type { InrCatalog, Reconstruction } from './reportTypes';

export type { Reconstruction };

export const MIN_RESOLUTION = 4;
export const MAX_RESOLUTION = 512;
export const MAX_RESOLUTION_3D = 128;

export async function reconstructInr(
  reader: WeightFileReader,
  standIns: WeightSet,
  catalog: InrCatalog,
  context: InrContext,
  index: number,
  resolution: number,
  shown: InrView = DEFAULT_VIEW,
): Promise<Reconstruction> {
  const name = catalog.names[index];
  const family = catalog.families[index];
  if (name === undefined || family === undefined) throw new RangeError(`INR ${index} does not exist: the file holds ${catalog.names.length}`);
  if (!Number.isInteger(resolution) || resolution < MIN_RESOLUTION || resolution > MAX_RESOLUTION) {
    throw new RangeError(`resolution must be an integer in [${MIN_RESOLUTION}, ${MAX_RESOLUTION}], got ${resolution}`);
  }
  const view = mlpView(standIns, family);
  const layers: Layer[] = [];
  for (const layer of view.layers) {
    const W = await reader.readTensor(layer.weightName);
    const b = layer.biasName === undefined ? new Float32Array(layer.outFeatures) : await reader.readTensor(layer.biasName);
    layers.push({ inFeatures: layer.inFeatures, outFeatures: layer.outFeatures, W, b });
  }
  const widths = view.widths;
  const spec: SirenSpec = {
    inputDim: widths[0]!,
    hidden: widths.slice(1, -1),
    outputDim: widths[widths.length - 1]!,
    w0: context.w0,
    outputOffset: context.outputOffset,
  };
  // A 3-D INR's view is ray-marched, a far slower picture: at most MAX_RESOLUTION_3D pixels a side (the view scales it).
  const side = spec.inputDim === 3 ? Math.min(resolution, MAX_RESOLUTION_3D) : resolution;
  const { pixels, channels } = renderInrImage(spec, layers, side, shown);
  return { name, index, width: side, height: side, channels, pixels, label: context.labelOf(name) };
}
