/**
 * Opens what a dataset is generated from, by name: a bundled image dataset ('mnist', 'fashion-mnist'), the
 * built-in 3-D shapes ('shapes3d'), or a folder — of meshes when its class folders hold .obj/.stl/.ply
 * files, else of images. A name that is none of these (no such folder) is answered with the built-in
 * names, and the closest one if it is a near miss. The SIREN fitted to a source is chosen here too.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_SIREN, type SirenSpec } from '../inr/spec';
import { DEFAULT_SDF_SIREN } from '../mesh/sdfFit';
import { listMeshFolder, openMeshFolder, shapes3dSource, SHAPES3D_PER_CLASS, type MeshSource } from '../mesh/meshSource';
import { closestName } from '../text/editDistance';
import { BUNDLED_DATASETS, isBundledDataset } from './bundledDatasets';
import { loadBundledDataset } from './bundledSource';
import { loadFolderDataset } from './folderSource';
import { DatasetError, type ImageSource } from './imageSource';

/** Images (2-D INRs of their pixels) or meshes (3-D INRs of their signed distance). */
export type DataSource = ImageSource | MeshSource;

export function isMeshSource(source: DataSource): source is MeshSource {
  return 'mesh' in source;
}

export const BUILT_IN_SOURCES: readonly string[] = [...Object.keys(BUNDLED_DATASETS), 'shapes3d'];

export async function openSource(nameOrPath: string): Promise<DataSource> {
  if (isBundledDataset(nameOrPath)) return loadBundledDataset(nameOrPath);
  if (nameOrPath === 'shapes3d') return shapes3dSource(SHAPES3D_PER_CLASS);
  if (!existsSync(nameOrPath)) {
    const close = closestName(nameOrPath, BUILT_IN_SOURCES, 2);
    throw new DatasetError(
      `${nameOrPath}: no such folder, and not a built-in dataset${close ? ` (did you mean "${close}"?)` : ''}; built-in: ${BUILT_IN_SOURCES.join(', ')}; or a folder with one sub-folder of images or meshes per class`,
    );
  }
  const meshes = await listMeshFolder(nameOrPath).catch(() => null);
  if (meshes && meshes.files.length > 0) return openMeshFolder(nameOrPath, meshes);
  return loadFolderDataset(nameOrPath);
}

/** The SIREN fitted to a source: 2 → hidden → channels for images, 3 → hidden → 1 (a signed distance) for meshes. */
export function sirenForSource(source: DataSource, hidden: readonly number[] = DEFAULT_SIREN.hidden): SirenSpec {
  if (isMeshSource(source)) return { ...DEFAULT_SDF_SIREN, hidden: [...hidden] };
  return { ...DEFAULT_SIREN, hidden: [...hidden], outputDim: source.channels };
}
