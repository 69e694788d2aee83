/**
 * The neural-graph GNN (Kofinas et al. 2024, mkofinas/neural-graphs), dense: the MLP read as a graph whose
 * nodes are its neurons (feature: the neuron's bias, 0 for inputs) and whose edges are its weights (edge
 * j ← i of layer l: W_l[j, i]). Every node and edge is embedded to `hidden` channels (a linear map of its
 * scalar; nodes add a positional embedding: one per input neuron, one per output neuron, one shared by all
 * neurons of a hidden layer). Each of `layers` message-passing layers, with the same weights for every
 * edge (and every node) of the graph:
 *   message j ← i   m = ReLU(h_j·A_dst + h_i·A_src + e_ji·A_edge + a)   (forward, along the edge)
 *   message i ← j   m = ReLU(h_i·B_dst + h_j·B_src + e_ji·B_edge + b)   (backward, against it)
 *   node            h ← norm(h + ReLU([h, mean|max of forward messages, mean|max of backward messages]·N + n))
 *   edge            e ← norm(e + ReLU(h'_j·U_dst + h'_i·U_src + e·U_edge + u))   (not in the last layer)
 * (the aggregations of PNA without its degree scalers: in an MLP's graph every node of a layer has the
 * same degree). Readout: the output neurons' features, concatenated, and each hidden layer's node
 * features pooled over its neurons; then an MLP head.
 * Law: hidden neurons of a layer share their positional embedding, every update treats nodes and edges
 * alike, and the readout pools hidden nodes — so the logits are invariant to hidden-neuron permutations.
 */
import { dense, mlp, type Dense } from './dense';
import { featureNorm, type FeatureNorm } from './featureNorm';
import { invariantPool, pooledChannels } from './invariantPool';
import type { ModelConfig } from './modelConfig';
import { networkLayout } from './neuronLayout';
import { toFeatures } from './neuronTensors';
import type { ParamStore } from './paramStore';
import { tf } from './tf';
import type { Forward } from './forward';

/** Three channel maps applied to (destination node, source node, edge) and summed with one bias. */
interface EdgeMap {
  readonly dst: tf.Variable;
  readonly src: tf.Variable;
  readonly edge: tf.Variable;
  readonly bias: tf.Variable;
}

function edgeMap(params: ParamStore, name: string, channels: number): EdgeMap {
  // Initialised as one linear layer on the concatenation [dst, src, edge] would be (fan-in 3C).
  const bound = 1 / Math.sqrt(3 * channels);
  const matrix = (part: string) => params.uniform(`${name}.${part}`, [channels, channels], bound);
  return { dst: matrix('dst'), src: matrix('src'), edge: matrix('edge'), bias: params.uniform(`${name}.bias`, [channels], bound) };
}

/** x [..., C] · w [C, C] over the last axis. */
function mapChannels(x: tf.Tensor, w: tf.Variable): tf.Tensor {
  const c = w.shape[1]!;
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, w.shape[0]!]) as tf.Tensor2D, w as tf.Tensor2D), [...x.shape.slice(0, -1), c]);
}

/** ReLU(dst·D + src·S + edge·E + b) over the edges [B, n_dst, n_src, C] of one weight layer (dst = rows). */
function edgeTerm(map: EdgeMap, rows: tf.Tensor, cols: tf.Tensor, edges: tf.Tensor, rowsAreDst: boolean): tf.Tensor {
  const atRows = tf.expandDims(mapChannels(rows, rowsAreDst ? map.dst : map.src), 2); // [B, n_rows, 1, C]
  const atCols = tf.expandDims(mapChannels(cols, rowsAreDst ? map.src : map.dst), 1); // [B, 1, n_cols, C]
  return tf.relu(tf.add(tf.add(mapChannels(edges, map.edge), tf.add(atRows, atCols)), map.bias));
}

/** Mean and max over `axis`, concatenated along channels. */
function aggregate(messages: tf.Tensor, axis: number): tf.Tensor {
  return tf.concat([tf.mean(messages, axis), tf.max(messages, axis)], -1);
}

interface GraphLayer {
  readonly forwardMessage: EdgeMap;
  readonly backwardMessage: EdgeMap;
  readonly node: Dense;
  /** Per neuron layer; absent for the input neurons in the last layer (not updated there). */
  readonly nodeNorms: readonly (FeatureNorm | undefined)[];
  /** Absent in the last layer (its edges are not read). */
  readonly edgeUpdate?: EdgeMap;
  readonly edgeNorms: readonly FeatureNorm[];
}

export function createNeuralGraph(params: ParamStore, config: ModelConfig, widths: readonly number[], classes: number): Forward {
  const C = config.hidden;
  const L = widths.length - 1;
  const layout = networkLayout(widths, new Set(), 1);
  const nodeIn = params.linear('gnn.nodeIn', 1, C);
  const edgeIn = params.linear('gnn.edgeIn', 1, C);
  // One embedding per input neuron, per hidden layer, per output neuron (unit variance, as torch.randn).
  const positions = widths.map((n, k) => params.uniform(`gnn.pos${k}`, [k === 0 || k === L ? n : 1, C], Math.sqrt(3)));
  const layers: GraphLayer[] = Array.from({ length: config.layers }, (_, t) => {
    const last = t === config.layers - 1;
    return {
      forwardMessage: edgeMap(params, `gnn.mp${t}.forward`, C),
      backwardMessage: edgeMap(params, `gnn.mp${t}.backward`, C),
      node: params.linear(`gnn.mp${t}.node`, 5 * C, C),
      // The last layer leaves the input neurons as they are: the readout does not read them.
      nodeNorms: widths.map((_, k) => (last && k === 0 ? undefined : featureNorm(config.norm, params, `gnn.mp${t}.nodeNorm${k}`, C))),
      ...(last ? {} : { edgeUpdate: edgeMap(params, `gnn.mp${t}.edge`, C) }),
      edgeNorms: last ? [] : widths.slice(1).map((_, l) => featureNorm(config.norm, params, `gnn.mp${t}.edgeNorm${l}`, C)),
    };
  });
  const readout = widths[L]! * C + widths.slice(1, -1).reduce((n) => n + pooledChannels(config.pool, C, 1), 0);
  const head = mlp(params, 'head', [readout, config.headHidden, classes]);

  return (flat, training) => {
    const batch = flat.shape[0];
    const inputs = toFeatures(layout, flat); // W_l [B, n_{l+1}, n_l, 1], b_l [B, n_{l+1}, 1]
    let nodes = widths.map((n, k) => tf.add(dense(k === 0 ? tf.zeros([batch, n, 1]) : inputs[2 * k - 1]!, nodeIn), positions[k]!));
    let edges = widths.slice(1).map((_, l) => dense(inputs[2 * l]!, edgeIn));
    for (const layer of layers) {
      // Messages over each weight layer l: forward to neuron layer l+1 (the rows), backward to layer l (the columns).
      const fromBelow = edges.map((e, l) => aggregate(edgeTerm(layer.forwardMessage, nodes[l + 1]!, nodes[l]!, e, true), 2));
      const fromAbove = edges.map((e, l) =>
        layer.nodeNorms[l] ? aggregate(edgeTerm(layer.backwardMessage, nodes[l + 1]!, nodes[l]!, e, false), 1) : undefined,
      );
      nodes = nodes.map((h, k) => {
        const norm = layer.nodeNorms[k];
        if (!norm) return h;
        const none = () => tf.zeros([batch, widths[k]!, 2 * C]);
        const update = tf.relu(dense(tf.concat([h, k > 0 ? fromBelow[k - 1]! : none(), k < L ? fromAbove[k]! : none()], -1), layer.node));
        return norm.apply(tf.add(h, update), training);
      });
      const edgeUpdate = layer.edgeUpdate;
      if (edgeUpdate) edges = edges.map((e, l) => layer.edgeNorms[l]!.apply(tf.add(e, edgeTerm(edgeUpdate, nodes[l + 1]!, nodes[l]!, e, true)), training));
    }
    const pooled = [tf.reshape(nodes[L]!, [batch, widths[L]! * C]), ...nodes.slice(1, -1).map((h) => invariantPool(config.pool, h))];
    return head(tf.concat(pooled, 1), training) as tf.Tensor2D;
  };
}
