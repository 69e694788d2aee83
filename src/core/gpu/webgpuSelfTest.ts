/**
 * A WebGPU device's smallest honest check: a WGSL compute shader writes sin(x) for 4,096 values and the
 * result is compared with Math.sin — it proves shaders compile, dispatch and read back on this adapter.
 * (WGSL's sin is not correctly rounded: SwiftShader is within ~2e-4 on [0, 40].)
 */
import type { WebGpu } from './webgpuDevice';

export interface SelfTest {
  readonly values: number;
  readonly maxError: number;
  readonly milliseconds: number;
}

const SHADER = `@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&x)) { x[id.x] = sin(x[id.x]); }
}`;

export async function webgpuSelfTest(gpu: WebGpu, values = 4096): Promise<SelfTest> {
  const started = performance.now();
  const { device } = gpu;
  const input = Float32Array.from({ length: values }, (_, i) => (i * 40) / values);
  const bytes = values * 4;
  const data = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    device.queue.writeBuffer(data, 0, input);
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: SHADER }), entryPoint: 'main' } });
    const bindings = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: data } }] });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindings);
    pass.dispatchWorkgroups(Math.ceil(values / 64));
    pass.end();
    encoder.copyBufferToBuffer(data, 0, read, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    let maxError = 0;
    for (let i = 0; i < values; i++) maxError = Math.max(maxError, Math.abs(out[i]! - Math.sin(input[i]!)));
    return { values, maxError, milliseconds: performance.now() - started };
  } finally {
    data.destroy();
    read.destroy();
  }
}
