/**
 * The linear assignment problem on a square n×n cost matrix: the permutation σ minimising (or
 * maximising) Σ_i cost[i][σ(i)]. Shortest augmenting paths with row/column potentials (the Hungarian
 * method in the Jonker–Volgenant form, O(n³)): rows are added one at a time, each by a Dijkstra-like
 * search over reduced costs cost[i][j] − u[i] − v[j] ≥ 0, then the path is augmented.
 */

/**
 * σ as an array: row i is assigned column σ[i]. `cost` is row-major (cost[i·n + j]) and must be finite.
 * Ties are broken deterministically (by the order of the search).
 */
export function solveAssignment(cost: ArrayLike<number>, n: number, options: { readonly maximize?: boolean } = {}): Int32Array {
  if (!Number.isInteger(n) || n < 0 || cost.length !== n * n) throw new Error(`solveAssignment: ${cost.length} costs for a ${n}×${n} problem`);
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k]!)) throw new Error(`solveAssignment: cost[${Math.floor(k / n)}][${k % n}] is ${cost[k]}`);
  }
  const sign = options.maximize ? -1 : 1;
  // 1-based rows and columns; column 0 is the search's virtual start.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOfColumn = new Int32Array(n + 1);
  const previous = new Int32Array(n + 1);
  const minReduced = new Float64Array(n + 1);
  const done = new Uint8Array(n + 1);
  for (let row = 1; row <= n; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    minReduced.fill(Infinity);
    done.fill(0);
    do {
      done[column] = 1;
      const i = rowOfColumn[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let j = 1; j <= n; j++) {
        if (done[j]) continue;
        const reduced = sign * cost[(i - 1) * n + j - 1]! - u[i]! - v[j]!;
        if (reduced < minReduced[j]!) {
          minReduced[j] = reduced;
          previous[j] = column;
        }
        if (minReduced[j]! < delta) {
          delta = minReduced[j]!;
          nextColumn = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (done[j]) {
          u[rowOfColumn[j]!] = u[rowOfColumn[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minReduced[j] = minReduced[j]! - delta;
        }
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);
    // Augment along the path back to the virtual start.
    while (column !== 0) {
      const before = previous[column]!;
      rowOfColumn[column] = rowOfColumn[before]!;
      column = before;
    }
  }
  const assignment = new Int32Array(n);
  for (let j = 1; j <= n; j++) assignment[rowOfColumn[j]! - 1] = j - 1;
  return assignment;
}

/** Σ_i cost[i][σ(i)]. */
export function assignmentCost(cost: ArrayLike<number>, n: number, assignment: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += cost[i * n + assignment[i]!]!;
  return sum;
}
