/**
 * Backend on @tensorflow/tfjs-node-gpu, an optional dependency loaded with a dynamic require only when
 * it is installed. Same maths as reference.ts, in float32 tensors on the GPU, one network at a time:
 *   f(X) = H_L W_Lᵀ + b_L + outputOffset, H_{l+1} = sin(w0·(H_l W_lᵀ + b_l)), loss = mean((f(X) − T)²),
 * gradients by tf.variableGrads, and Adam written out in its PyTorch form:
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
 */
import type { FitBackend, FitHooks, FitOptions, FitResult, FitTask } from './fitBackend';
import { fitOneByOne, type ResolvedFit } from './fitting';
import { psnrFromMse } from './psnr';
import { sirenWidths } from './spec';

const MODULE = '@tensorflow/tfjs-node-gpu';

/** The part of the tfjs API used here. */
interface Tensor {
  dataSync(): Float32Array;
  dispose(): void;
  matMul(b: Tensor, transposeA?: boolean, transposeB?: boolean): Tensor;
  add(b: Tensor | number): Tensor;
  sub(b: Tensor | number): Tensor;
  mul(b: Tensor | number): Tensor;
  div(b: Tensor | number): Tensor;
  sqrt(): Tensor;
  square(): Tensor;
  sin(): Tensor;
  mean(): Tensor;
}
interface Variable extends Tensor {
  readonly name: string;
  assign(value: Tensor): void;
}
interface Tf {
  tensor2d(values: Float32Array, shape: [number, number]): Tensor;
  tensor1d(values: Float32Array): Tensor;
  variable(initial: Tensor): Variable;
  zerosLike(t: Tensor): Tensor;
  tidy<T extends Tensor | void>(fn: () => T): T;
  dispose(tensors: Tensor[]): void;
  variableGrads(f: () => Tensor, varList: Variable[]): { value: Tensor; grads: Record<string, Tensor> };
}

let loaded: { tf: Tf } | { error: unknown } | undefined;

function loadTf(): { tf: Tf } | { error: unknown } {
  if (!loaded) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional module, loaded only when asked for
      loaded = { tf: require(MODULE) as Tf };
    } catch (error) {
      loaded = { error };
    }
  }
  return loaded;
}

/** Whether the optional tfjs-node-gpu module loads in this installation. */
export function tfjsAvailable(): boolean {
  return 'tf' in loadTf();
}

function fitOnTf(tf: Tf, task: FitTask, fit: ResolvedFit): FitResult {
  const { spec } = fit;
  const coords = tf.tensor2d(task.coords ?? fit.coords, [fit.pixels, spec.inputDim]);
  const target = tf.tensor2d(task.target, [fit.pixels, spec.outputDim]);
  const params = task.init.flatMap((l) => [tf.variable(tf.tensor2d(l.W, [l.outFeatures, l.inFeatures])), tf.variable(tf.tensor1d(l.b))]);
  const moments = params.map((p) => ({ m: tf.variable(tf.zerosLike(p)), v: tf.variable(tf.zerosLike(p)) }));
  const loss = () =>
    tf.tidy(() => {
      let h = coords;
      for (let l = 0; l < params.length / 2; l++) {
        const u = h.matMul(params[2 * l]!, false, true).add(params[2 * l + 1]!);
        h = l < params.length / 2 - 1 ? u.mul(spec.w0).sin() : u.add(spec.outputOffset);
      }
      return h.sub(target).square().mean();
    });
  try {
    for (let steps = 0; ; steps++) {
      const { value, grads } = tf.variableGrads(loss, params);
      const mse = value.dataSync()[0]!;
      if (mse <= fit.stopMse || steps >= fit.steps) {
        tf.dispose([value, ...Object.values(grads)]);
        const widths = sirenWidths(spec);
        const layers = widths
          .slice(1)
          .map((outFeatures, l) => ({
            inFeatures: widths[l]!,
            outFeatures,
            W: Float32Array.from(params[2 * l]!.dataSync()),
            b: Float32Array.from(params[2 * l + 1]!.dataSync()),
          }));
        return { id: task.id, layers, psnr: psnrFromMse(mse), steps };
      }
      const stepSize = fit.lr / (1 - fit.beta1 ** (steps + 1));
      const sqrtCorrection2 = Math.sqrt(1 - fit.beta2 ** (steps + 1));
      tf.tidy(() => {
        params.forEach((p, k) => {
          const g = grads[p.name]!;
          const { m, v } = moments[k]!;
          m.assign(m.mul(fit.beta1).add(g.mul(1 - fit.beta1)));
          v.assign(v.mul(fit.beta2).add(g.square().mul(1 - fit.beta2)));
          p.assign(p.sub(m.mul(stepSize).div(v.sqrt().div(sqrtCorrection2).add(fit.eps))));
        });
      });
      tf.dispose([value, ...Object.values(grads)]);
    }
  } finally {
    tf.dispose([coords, target, ...params, ...moments.flatMap(({ m, v }) => [m, v])]);
  }
}

export function createTfjsBackend(): FitBackend {
  const module = loadTf();
  if (!('tf' in module)) {
    const why = (module.error instanceof Error ? module.error.message : String(module.error)).split('\n')[0];
    throw new Error(`the 'tfjs-node-gpu' backend needs the optional module ${MODULE}, which did not load (${why}); use 'wasm' or 'reference'`);
  }
  const { tf } = module;
  return {
    name: 'tfjs-node-gpu',
    fit: (tasks: readonly FitTask[], options: FitOptions, hooks: FitHooks = {}) => fitOneByOne(tasks, options, hooks, (task, fit) => fitOnTf(tf, task, fit)),
    close: async () => undefined,
  };
}
