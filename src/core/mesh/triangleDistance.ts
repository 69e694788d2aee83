/**
 * The point of a triangle closest to a point (Ericson, Real-Time Collision Detection §5.1.5), with the
 * feature it lies on — the face's interior, one of its edges or one of its corners — which the sign test
 * of signedDistance.ts needs (the pseudonormal of that feature).
 */

/** Where the closest point lies: the face, corner a / b / c, or edge ab / ac / bc. */
export const enum Feature {
  Face = 0,
  CornerA = 1,
  CornerB = 2,
  CornerC = 3,
  EdgeAB = 4,
  EdgeAC = 5,
  EdgeBC = 6,
}

export interface ClosestPoint {
  distanceSquared: number;
  feature: Feature;
  /** Index of the triangle (set by the caller that searches many). */
  triangle: number;
  x: number;
  y: number;
  z: number;
}

/**
 * Closest point to p on triangle (a, b, c) into `out`; points are x, y, z at offsets pi of `p` and ai, bi,
 * ci of `v`.
 */
export function closestOnTriangle(p: ArrayLike<number>, pi: number, v: ArrayLike<number>, ai: number, bi: number, ci: number, out: ClosestPoint): void {
  const px = p[pi]!;
  const py = p[pi + 1]!;
  const pz = p[pi + 2]!;
  const ax = v[ai]!;
  const ay = v[ai + 1]!;
  const az = v[ai + 2]!;
  const abx = v[bi]! - ax;
  const aby = v[bi + 1]! - ay;
  const abz = v[bi + 2]! - az;
  const acx = v[ci]! - ax;
  const acy = v[ci + 1]! - ay;
  const acz = v[ci + 2]! - az;
  const apx = px - ax;
  const apy = py - ay;
  const apz = pz - az;
  // The closest point is a + s·ab + t·ac; find (s, t) by the Voronoi region of p.
  let s = 0;
  let t = 0;
  let feature = Feature.CornerA;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  if (d1 > 0 || d2 > 0) {
    const d3 = d1 - (abx * abx + aby * aby + abz * abz); // ab · (p − b)
    const d4 = d2 - (acx * abx + acy * aby + acz * abz); // ac · (p − b)
    const d5 = d1 - (abx * acx + aby * acy + abz * acz); // ab · (p − c)
    const d6 = d2 - (acx * acx + acy * acy + acz * acz); // ac · (p − c)
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) [s, feature] = [1, Feature.CornerB];
    else if (d6 >= 0 && d5 <= d6) [t, feature] = [1, Feature.CornerC];
    else if (vc <= 0 && d1 >= 0 && d3 <= 0) [s, feature] = [d1 / (d1 - d3), Feature.EdgeAB];
    else if (vb <= 0 && d2 >= 0 && d6 <= 0) [t, feature] = [d2 / (d2 - d6), Feature.EdgeAC];
    else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      t = (d4 - d3) / (d4 - d3 + (d5 - d6));
      s = 1 - t;
      feature = Feature.EdgeBC;
    } else {
      const denominator = 1 / (va + vb + vc);
      s = vb * denominator;
      t = vc * denominator;
      feature = Feature.Face;
    }
  }
  const qx = ax + s * abx + t * acx;
  const qy = ay + s * aby + t * acy;
  const qz = az + s * abz + t * acz;
  out.x = qx;
  out.y = qy;
  out.z = qz;
  out.feature = feature;
  out.distanceSquared = (px - qx) ** 2 + (py - qy) ** 2 + (pz - qz) ** 2;
}
