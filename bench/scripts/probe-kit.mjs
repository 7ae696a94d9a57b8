// What the hand-edited-kernel probes (codispatch-probe.mjs, readout-probe.mjs) share: the SAGA
// block's plan at a PVT-T size, storage buffers filled with a fixed pattern, pipelines and bind
// groups by binding number, reading a buffer back, and GPU timestamps of passes of dispatches.
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { compileWorkload, envOf, STAGES } from '../../dist/bench/workloads.js';
import { evalShape, numel } from '../../dist/runtime/shape.js';

/** Parses `STAGE:BATCH,...`, or undefined where a pair is not a PVT-T stage and a batch. */
export function stageRows(list) {
  const rows = list.split(',').map((s) => s.split(':').map(Number));
  return rows.every(([st, B]) => Number.isInteger(st) && st >= 1 && st <= 4 && Number.isInteger(B) && B >= 1) ? rows : undefined;
}

/** The fused SAGA block's plan at R² input, PVT-T stage `st`, batch B, and its sizes. */
export function blockPlan(R, st, B) {
  const S = STAGES[st - 1];
  const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
  return { plan: generatePlan(compileWorkload('block', S.heads).fused, { dims: env }), env, d: S.C / S.heads };
}

/**
 * Storage buffers by id, made on first use: the plan's size for a plan buffer (else `like`'s),
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
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

/**
 * `reps` passes, each of the dispatches `[pipeline, group, counts]` in order; with `timed`, the
 * median of their GPU times in ms (timestamps at each pass's start and end).
 */
export async function runPasses(device, dispatches, reps, timed) {
  const qs = timed ? device.createQuerySet({ type: 'timestamp', count: 2 * reps }) : null;
  const e = device.createCommandEncoder();
  for (let r = 0; r < reps; r++) {
    const pass = e.beginComputePass(timed ? { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * r, endOfPassWriteIndex: 2 * r + 1 } } : {});
    for (const [p, g, c] of dispatches) {
      pass.setPipeline(p);
      pass.setBindGroup(0, g);
      pass.dispatchWorkgroups(...c);
    }
    pass.end();
  }
  if (!timed) {
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
    return undefined;
  }
  const resolved = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  e.resolveQuerySet(qs, 0, 2 * reps, resolved, 0);
  device.queue.submit([e.finish()]);
  const ns = new BigInt64Array((await readBack(device, resolved)).buffer);
  resolved.destroy();
  qs.destroy();
  const ms = Array.from({ length: reps }, (_, i) => Number(ns[2 * i + 1] - ns[2 * i]) / 1e6).sort((x, y) => x - y);
  return ms[Math.floor(reps / 2)];
}

/** Each arm's best of 3 rounds of `runPasses` (20 passes each), after 20 untimed passes, interleaved; as `arm ms, ...`. */
export async function timeArms(device, arms) {
  const t = {};
  for (const dispatches of Object.values(arms)) await runPasses(device, dispatches, 20, false);
  for (let round = 0; round < 3; round++) for (const [arm, dispatches] of Object.entries(arms)) (t[arm] ??= []).push(await runPasses(device, dispatches, 20, true));
  return Object.entries(t)
    .map(([a, v]) => `${a} ${Math.min(...v).toFixed(3)} ms`)
    .join(', ');
}
