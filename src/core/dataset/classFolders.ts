/**
 * A dataset folder laid out as `DIR/<class name>/<file>` (images or meshes): the classes are the
 * sub-folders in sorted order, labels their indices, and the files of each class with one of `extensions`
 * are sorted by name. A folder that cannot be read, has no class folders or no such files is refused with
 * a DatasetError naming it.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatasetError } from './imageSource';

export interface ClassFolderListing {
  readonly classes: string[];
  readonly files: { path: string; label: number }[];
}

/** `what`: the kind of folder in messages ("image", "mesh"); `example`: a file pattern for the hint (e.g. "cats/*.png"). */
export async function listClassFolders(dir: string, extensions: readonly string[], what: string, example: string): Promise<ClassFolderListing> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new DatasetError(`${dir}: cannot read the ${what} folder (${(e as Error).message})`);
  }
  const classes = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classes.length === 0) throw new DatasetError(`${dir}: expected one sub-folder per class (e.g. ${dir}/${example})`);
  const files: { path: string; label: number }[] = [];
  for (const [label, name] of classes.entries()) {
    const inClass = (await readdir(join(dir, name), { withFileTypes: true }))
      .filter((e) => e.isFile() && extensions.includes(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    for (const file of inClass) files.push({ path: join(dir, name, file), label });
  }
  return { classes, files };
}
