/**
 * A bounding-volume hierarchy over a mesh's triangles, for nearest-triangle queries in O(log triangles)
 * per point instead of O(triangles): each node's box holds its triangles (split at the median centroid
 * of its longest axis until a leaf holds ≤ LEAF); a query visits the nearer child first and skips any box
 * farther than the best distance so far. Exact: it returns the same nearest distance as testing every
 * triangle (ties may pick another triangle at the same distance).
 */
import type { Mesh } from './mesh';
import { closestOnTriangle, type ClosestPoint } from './triangleDistance';

const LEAF = 4;

export class TriangleTree {
  /** Per node: min x, y, z, max x, y, z. */
  private readonly boxes: Float32Array;
  /** Per node: first child (the second is first + 1) for inner nodes, −1 − start for leaves. */
  private readonly link: Int32Array;
  /** Per node: triangle count of a leaf (0 for inner nodes). */
  private readonly count: Int32Array;
  /** Triangle indices, leaves' ranges contiguous. */
  private readonly order: Uint32Array;
  private readonly stack: Int32Array;

  constructor(private readonly mesh: Mesh) {
    const { vertices: v, triangles: f } = mesh;
    const n = f.length / 3;
    const centroids = new Float32Array(3 * n);
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < 3; k++) centroids[3 * t + k] = (v[3 * f[3 * t]! + k]! + v[3 * f[3 * t + 1]! + k]! + v[3 * f[3 * t + 2]! + k]!) / 3;
    }
    const maxNodes = 2 * n; // a binary tree with n leaves at most has 2n − 1 nodes
    this.boxes = new Float32Array(6 * maxNodes);
    this.link = new Int32Array(maxNodes);
    this.count = new Int32Array(maxNodes);
    this.order = Uint32Array.from({ length: n }, (_, i) => i);
    let nodes = 1;
    let depth = 0;
    const build = (node: number, start: number, end: number, level: number): void => {
      depth = Math.max(depth, level);
      const box = this.boxes.subarray(6 * node, 6 * node + 6);
      box.set([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
      for (let i = start; i < end; i++) {
        const t = this.order[i]!;
        for (let corner = 0; corner < 3; corner++) {
          const vi = 3 * f[3 * t + corner]!;
          for (let k = 0; k < 3; k++) {
            box[k] = Math.min(box[k]!, v[vi + k]!);
            box[3 + k] = Math.max(box[3 + k]!, v[vi + k]!);
          }
        }
      }
      if (end - start <= LEAF) {
        this.link[node] = -1 - start;
        this.count[node] = end - start;
        return;
      }
      const extent = [0, 1, 2].map((k) => box[3 + k]! - box[k]!);
      const axis = extent.indexOf(Math.max(...extent));
      const part = Array.from(this.order.subarray(start, end)).sort((a, b) => centroids[3 * a + axis]! - centroids[3 * b + axis]!);
      this.order.set(part, start);
      const mid = (start + end) >> 1;
      const first = nodes;
      nodes += 2;
      this.link[node] = first;
      build(first, start, mid, level + 1);
      build(first + 1, mid, end, level + 1);
    };
    build(0, 0, n, 0);
    this.stack = new Int32Array(2 * depth + 4);
  }

  /** Squared distance from point i of `points` to node's box (0 inside it). */
  private boxDistanceSquared(node: number, points: ArrayLike<number>, pi: number): number {
    const b = this.boxes;
    let sum = 0;
    for (let k = 0; k < 3; k++) {
      const x = points[pi + k]!;
      const below = b[6 * node + k]! - x;
      const above = x - b[6 * node + 3 + k]!;
      const d = below > 0 ? below : above > 0 ? above : 0;
      sum += d * d;
    }
    return sum;
  }

  /** The nearest triangle to the point at offset `pi` of `points`, written into `out` (its squared distance, triangle, feature). */
  nearest(points: ArrayLike<number>, pi: number, out: ClosestPoint): ClosestPoint {
    const { vertices: v, triangles: f } = this.mesh;
    out.distanceSquared = Infinity;
    const scratch = nearestScratch;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top]!;
      if (this.boxDistanceSquared(node, points, pi) >= out.distanceSquared) continue;
      const link = this.link[node]!;
      if (link < 0) {
        const start = -1 - link;
        for (let i = start; i < start + this.count[node]!; i++) {
          const t = this.order[i]!;
          closestOnTriangle(points, pi, v, 3 * f[3 * t]!, 3 * f[3 * t + 1]!, 3 * f[3 * t + 2]!, scratch);
          if (scratch.distanceSquared < out.distanceSquared) {
            out.distanceSquared = scratch.distanceSquared;
            out.feature = scratch.feature;
            out.triangle = t;
            out.x = scratch.x;
            out.y = scratch.y;
            out.z = scratch.z;
          }
        }
        continue;
      }
      // The nearer child is popped first.
      const near = this.boxDistanceSquared(link, points, pi) <= this.boxDistanceSquared(link + 1, points, pi);
      stack[top++] = near ? link + 1 : link;
      stack[top++] = near ? link : link + 1;
    }
    return out;
  }
}

const nearestScratch: ClosestPoint = { distanceSquared: 0, feature: 0, triangle: 0, x: 0, y: 0, z: 0 };
