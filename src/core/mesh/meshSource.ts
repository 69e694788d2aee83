/**
 * Where the meshes of a 3-D INR dataset come from, as ImageSource is for images: a folder of the user's
 * meshes, `DIR/<class name>/<mesh>.obj|.stl|.ply` (labels are the sub-folders in sorted order, meshes
 * sorted by name), or the built-in `shapes3d` (`perClass` shapes of each of its ten classes, shape i of
 * the source being shape ⌊i / 10⌋ of class i mod 10). Every mesh comes placed in [−0.9, 0.9]³, with the
 * placement to record.
 */
import { listClassFolders, type ClassFolderListing } from '../dataset/classFolders';
import { DatasetError } from '../dataset/imageSource';
import type { Mesh } from './mesh';
import { normaliseMesh, type MeshPlacement } from './normalise';
import { MESH_EXTENSIONS, readMesh } from './readMesh';
import { makeShape, SHAPE_CLASSES } from './shapes3d';

export interface SourceMesh {
  /** Placed in [−0.9, 0.9]³. */
  readonly mesh: Mesh;
  readonly placement: MeshPlacement;
  readonly label: number;
}

export interface MeshSource {
  /** 'shapes3d' or the folder path. */
  readonly name: string;
  readonly count: number;
  /** Class names, indexed by label. */
  readonly classes: readonly string[];
  /** Label of mesh i without reading it. */
  label(index: number): number;
  mesh(index: number): Promise<SourceMesh>;
}

function checkIndex(source: Pick<MeshSource, 'name' | 'count'>, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= source.count)
    throw new DatasetError(`${source.name}: mesh index ${index} is out of range 0…${source.count - 1}`);
}

/** Shapes per class of `wslab generate --dataset shapes3d` (any number can be made; --limit takes a balanced prefix). */
export const SHAPES3D_PER_CLASS = 500;

/** The built-in shapes: `perClass` of each class, interleaved so any prefix is balanced. */
export function shapes3dSource(perClass: number, seed = 0): MeshSource {
  if (!Number.isSafeInteger(perClass) || perClass < 1) throw new DatasetError(`shapes3d: ${perClass} shapes per class is not a positive whole number`);
  const classes = SHAPE_CLASSES.length;
  const source = {
    name: 'shapes3d',
    count: perClass * classes,
    classes: SHAPE_CLASSES,
    label: (index: number) => {
      checkIndex(source, index);
      return index % classes;
    },
    mesh: async (index: number): Promise<SourceMesh> => {
      checkIndex(source, index);
      const label = index % classes;
      const kind = SHAPE_CLASSES[label]!;
      return { ...normaliseMesh(`shapes3d ${kind} ${Math.floor(index / classes)}`, makeShape(kind, Math.floor(index / classes), seed)), label };
    },
  };
  return source;
}

/** The class folders of `dir` and the mesh files in them. */
export function listMeshFolder(dir: string): Promise<ClassFolderListing> {
  return listClassFolders(dir, MESH_EXTENSIONS, 'mesh', 'chairs/*.obj');
}

/** A folder of meshes, one sub-folder per class (its listing, when the caller has it); a mesh that cannot be read fails with a MeshError naming it. */
export async function openMeshFolder(dir: string, listing?: ClassFolderListing): Promise<MeshSource> {
  const { classes, files } = listing ?? (await listMeshFolder(dir));
  if (files.length === 0) throw new DatasetError(`${dir}: no ${MESH_EXTENSIONS.join(', ')} meshes in its class folders`);
  const source = {
    name: dir,
    count: files.length,
    classes,
    label: (index: number) => {
      checkIndex(source, index);
      return files[index]!.label;
    },
    mesh: async (index: number): Promise<SourceMesh> => {
      checkIndex(source, index);
      const { path, label } = files[index]!;
      return { ...normaliseMesh(path, await readMesh(path)), label };
    },
  };
  return source;
}
