// The signed-distance worker threads (src/core/mesh/sdfTargetPool.ts): a mesh's targets computed on a
// worker equal meshTargets computed here, bit for bit, and come back in the order asked for whatever the
// order they finish in; a closed pool refuses work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshTargets } from '../../src/core/mesh/meshFitItem';
import { normaliseMesh } from '../../src/core/mesh/normalise';
import { SdfTargetPool } from '../../src/core/mesh/sdfTargetPool';
import { makeShape, SHAPE_CLASSES } from '../../src/core/mesh/shapes3d';

test('targets from the worker threads equal those computed here, in the order asked', async () => {
  const meshes = SHAPE_CLASSES.slice(0, 5).map((kind, i) => normaliseMesh(kind, makeShape(kind, i, 3)).mesh);
  const pool = new SdfTargetPool(2);
  try {
    const got = await pool.mapTargets(
      meshes.map((mesh, i) => ({ mesh, seed: 100 + i })),
      (job, targets) => targets(job.mesh, job.seed),
    );
    got.forEach((targets, i) => assert.deepEqual(targets, meshTargets(meshes[i]!, 100 + i), `mesh ${i}`));
    // Other seeds, other points.
    assert.notDeepEqual((await pool.targets(meshes[0]!, 7)).coords, got[0]!.coords);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.targets(meshes[0]!, 1), /closed/);
});
