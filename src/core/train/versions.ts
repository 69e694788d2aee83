/** The versions a run records in its summary: the engine, TensorFlow.js and Node. */
import packageJson from '../../../package.json';
import { TFJS_VERSIONS } from '../models/tf';

export function runVersions(): Record<string, string> {
  return { wslab: packageJson.version, tfjs: TFJS_VERSIONS.core, node: process.versions.node };
}
