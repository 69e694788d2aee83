/**
 * The tensor operations of the equivariant layers and their pooling, with hand-written gradients
 * (tf.customGrad) that suit the tfjs wasm backend. Their forward passes run the same tfjs ops as plain
 * tf.matMul / tf.mean / tf.add / tf.relu, in the same order, so the models' outputs are bit for bit what they
 * were; the gradients are the same maths, cheaper (on wasm they agree to float32 rounding, since XNNPACK
 * sums in another order than tfjs's own transposed matMul; on the cpu backend they are bit-identical):
 *   linear        concat(parts) · w. tfjs's own matMul gradient uses transposed products, which the wasm
 *                 backend runs in a scalar loop; here the transposes are explicit, so every product goes to
 *                 XNNPACK, and each part's gradient is dy · w_iᵀ (no split of a joined gradient, which the
 *                 wasm backend slices row by row in JavaScript). The concat and the reshapes happen inside,
 *                 where the tape does not copy their inputs (tfjs saves a copy of the input of every
 *                 reshape and concat for its gradient): one saved copy instead of three.
 *   meanPool      tf.mean over axes; its gradient is 0 + dy / n broadcast (a wasm fill and one add) instead
 *                 of tfjs's dy · ones(x.shape) / n, which fills the ones in JavaScript and copies them into
 *                 wasm memory first. Saves nothing (tfjs saves a copy of x).
 *   broadcastSum  full + (p_1 + (p_2 + … + (p_k + bias))) with the partial terms broadcast; the gradient
 *                 reduces dy once per term, from the largest shape down. Saves nothing, where tfjs saves
 *                 (and on wasm copies) both inputs of every addition.
 *   relu          its gradient dy · step(x) without tfjs's float32→float32 cast of the mask (a copy on wasm).
 * Inside a customGrad forward the tape is off, so tfjs keeps only what `save` is given.
 */
import { tf } from './tf';

/** Sums `g` down to `shape` (axes where shape has 1 and g does not; a rank-1 shape is the last axis). */
function reduceTo(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const aligned = [...new Array<number>(g.rank - shape.length).fill(1), ...shape];
  const axes = aligned.flatMap((d, i) => (d === 1 && g.shape[i] !== 1 ? [i] : []));
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, [...shape]);
}

/**
 * concat(parts, last axis) · w, reshaped to `shape` — each part [..., in_i] with the same leading axes,
 * w [Σ in_i, out]; `shape` is any shape of the result's size (e.g. with axes of size 1 to broadcast over).
 */
export function linear(parts: readonly tf.Tensor[], w: tf.Tensor2D, shape: readonly number[]): tf.Tensor {
  const [inChannels, outChannels] = w.shape;
  const partShapes = parts.map((p) => p.shape);
  const widths = partShapes.map((s) => s[s.length - 1]!);
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, parts.length) as tf.Tensor[];
    const wt = args[parts.length] as tf.Tensor2D;
    const save = args[parts.length + 1] as tf.GradSaveFunc;
    const joined = xs.length === 1 ? xs[0]! : tf.concat(xs, -1);
    const x2 = tf.reshape(joined, [-1, inChannels]) as tf.Tensor2D;
    save([x2, wt]);
    return {
      value: tf.reshape(tf.matMul(x2, wt), [...shape]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xSaved, wSaved] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = tf.reshape(dy, [-1, outChannels]) as tf.Tensor2D;
        // d part_i = dy · w_iᵀ, w_i the rows of w that multiply part i (no split of a joined gradient).
        let row = 0;
        const dParts = widths.map((width, i) => {
          const wi = widths.length === 1 ? wSaved : tf.slice(wSaved, [row, 0], [width, outChannels]);
          row += width;
          return tf.reshape(tf.matMul(dy2, tf.transpose(wi)), partShapes[i]!);
        });
        // dw = xᵀ·dy sums over the N rows. XNNPACK packs the right operand (N × its columns) and streams the
        // left one's rows over it: with the narrower operand on the left it does fewer passes, so for
        // in ≥ out compute (dyᵀ·x)ᵀ (measured 1.3–2.4× faster at N = 32k–131k, in 16–48, out 16).
        const dw = inChannels >= outChannels ? tf.transpose(tf.matMul(tf.transpose(dy2), xSaved)) : tf.matMul(tf.transpose(xSaved), dy2);
        return [...dParts, dw];
      },
    };
  })(...parts, w);
}

/** The mean of x over `axes` (not keeping them). */
export function meanPool(x: tf.Tensor, axes: readonly number[]): tf.Tensor {
  if (axes.length === 0) return x;
  const shape = x.shape;
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = axes.reduce((c, a) => c * shape[a]!, 1);
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.mean(args[0] as tf.Tensor, [...axes]),
    // 0 + dy/n broadcast: the wasm backend's Tile (tf.broadcastTo) is ~50× slower than a fill and an add.
    gradFunc: (dy: tf.Tensor) => tf.add(tf.fill(shape, 0, 'float32'), tf.div(tf.reshape(dy, kept), n)),
  }))(x);
}

/** max(x, 0); its gradient dy · step(x) skips tfjs's float32→float32 cast (a copy on wasm). */
export function relu(x: tf.Tensor): tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([xt]);
    return { value: tf.relu(xt), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.step(saved[0]!)) };
  })(x);
}

/**
 * full + (partial[0] + (partial[1] + … + (partial[k−1] + bias))), each partial term broadcast to full's
 * shape — the additions in exactly this order.
 */
export function broadcastSum(full: tf.Tensor, partial: readonly tf.Tensor[], bias: tf.Tensor): tf.Tensor {
  const shapes = [full, ...partial, bias].map((t) => t.shape);
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const inputs = args.slice(0, shapes.length) as tf.Tensor[];
    // acc[0] = bias, acc[i] = partial[k−i] + acc[i−1]; the result is full + acc[k].
    const acc: tf.Tensor[] = [inputs[inputs.length - 1]!];
    for (let i = inputs.length - 2; i >= 1; i--) acc.push(tf.add(inputs[i]!, acc[acc.length - 1]!));
    const accShapes = acc.map((t) => t.shape);
    return {
      value: tf.add(inputs[0]!, acc[acc.length - 1]!),
      gradFunc: (dy: tf.Tensor) => {
        const grads: tf.Tensor[] = new Array<tf.Tensor>(shapes.length);
        grads[0] = reduceTo(dy, shapes[0]!);
        let dAcc = reduceTo(dy, accShapes[accShapes.length - 1]!);
        for (let j = accShapes.length - 1; j >= 1; j--) {
          // acc[j] = partial term (input index shapes.length − 1 − j) + acc[j − 1]
          const input = shapes.length - 1 - j;
          grads[input] = reduceTo(dAcc, shapes[input]!);
          dAcc = reduceTo(dAcc, accShapes[j - 1]!);
        }
        grads[shapes.length - 1] = dAcc;
        return grads;
      },
    };
  })(full, ...partial, bias);
}
