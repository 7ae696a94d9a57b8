// What the hand-edited-kernel probes (codispatch-probe.mjs, readout-probe.mjs) share: the SAGA
// block's plan at a PVT-T size, storage buffers filled with a fixed pattern, pipelines and bind
// groups by binding number, reading a buffer back, running and timing passes of dispatches.
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { compileWorkload, envOf, STAGES } from '../../dist/bench/workloads.js';
import { evalShape, numel } from '../../dist/runtime/shape.js';
import { createUniform, readF32 } from '../../dist/runtime/webgpu/buffers.js';
import { median, timePasses } from '../../dist/bench/roofline.js';

/** Parses `STAGE:BATCH,...`, or undefined where a pair is not a PVT-T stage and a batch. */
export function stageRows(list) {
  const rows = list.split(',').map((s) => s.split(':').map(Number));
  return rows.every(([st, B]) => Number.isInteger(st) && st >= 1 && st <= 4 && Number.isInteger(B) && B >= 1) ? rows : undefined;
}

/** The fused SAGA block's plan at R² input, PVT-T stage `st`, batch B, and its sizes. */
export function blockPlan(R, st, B) {
  const S = STAGES[st - 1];
  const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
  // The q projection and the read-out as two kernels (the probes edit them): no chain-matmuls.
  return { plan: generatePlan(compileWorkload('block', S.heads).fused, { dims: env, chainMatmuls: false }), env, d: S.C / S.heads };
}

/**
 * Storage buffers by id, made on first use (and uniforms), all destroyed together: the plan's size for a plan buffer (else `like`'s),
 * filled with a fixed pattern in [-0.5, 0.5) (in [0, 1) where `positive`).
 */
export function probeBuffers(device, plan, env) {
  const bufs = new Map();
  const floats = (id) => numel(evalShape(plan.buffers.find((b) => b.id === id).shape, env));
  return {
    buf(id, { positive = false, like = id } = {}) {
      if (!bufs.has(id)) {
        const n = floats(like);
        const g = device.createBuffer({ size: Math.max(16, 4 * n), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
        device.queue.writeBuffer(
          g,
          0,
          Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - (positive ? 0 : 0.5)),
        );
        bufs.set(id, g);
      }
      return bufs.get(id);
    },
    /** A uniform buffer of u32 words, destroyed with the rest. */
    uniform(label, words) {
      const u = createUniform(device, label, words);
      bufs.set(Symbol(label), u);
      return u;
    },
    destroy: () => bufs.forEach((b) => b.destroy()),
  };
}

export const pipelineOf = (device, code) => device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
/** A bind group of `[binding, buffer]` pairs. */
export const groupOf = (device, pipeline, entries) =>
  device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: entries.map(([binding, buffer]) => ({ binding, resource: { buffer } })) });
/** The kernel's storage buffers in binding order (reads, result, further results). */
export const bindingIds = (k) => [...k.reads, k.writes, ...(k.alsoWrites ?? [])];

/** A buffer's floats, copied back. */
export async function readBack(device, buffer) {
  const staging = device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const e = device.createCommandEncoder();
  e.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
  device.queue.submit([e.finish()]);
  try {
    return await readF32(staging, buffer.size / 4);
  } finally {
    staging.destroy();
  }
}

/** One pass of `dispatches` ({ pipeline, group, counts }, bench/roofline.ts Dispatched), waited for. */
export async function runPass(device, dispatches) {
  const e = device.createCommandEncoder();
  const pass = e.beginComputePass();
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.group);
    pass.dispatchWorkgroups(...d.counts);
  }
  pass.end();
  device.queue.submit([e.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/**
 * Each arm's passes timed by timestamps (timePasses: warm-up, then 20 passes, the median), 3 rounds
 * with the arms interleaved, the best round of each; as `arm ms, ...`.
 */
export async function timeArms(gpu, arms) {
  const t = {};
  for (let round = 0; round < 3; round++) for (const [arm, dispatches] of Object.entries(arms)) (t[arm] ??= []).push(median(await timePasses(gpu, dispatches, 20, 'timestamps')));
  return Object.entries(t)
    .map(([a, v]) => `${a} ${Math.min(...v).toFixed(3)} ms`)
    .join(', ');
}
