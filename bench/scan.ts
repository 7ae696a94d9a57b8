// `node dist/bench/scan.js gla.saga:16384:64[:chunk],...`: a causal-scan example with one head at
// N tokens and head dim d, its recurrent (unfused) and chunked (fused) scan kernels' GPU time
// from timestamp queries (median of 5 runs after a warm-up), and how far apart their results are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePlan } from '../codegen/wgsl/index.js';
import { compileSource } from '../compiler/index.js';
import { inputsOf, paramsOf } from '../compiler/ir.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape } from '../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, Executor } from '../runtime/webgpu/index.js';

const gpu = await acquireDevice();
const root = join(import.meta.dirname, '../..');
for (const spec of (process.argv[2] ?? 'gla.saga:4096:64').split(',')) {
  const [file, n, d, chunk] = spec.split(':');
  let source = readFileSync(join(root, 'examples', file), 'utf8').replace(/const heads = \d+/, 'const heads = 1');
  if (chunk) source = source.replaceAll('chunk 64', `chunk ${chunk}`);
  const r = compileSource(source, file);
  const env = new Map([['B', 1], ['N', Number(n)], ['C', Number(d)]]);
  const next = rng(1);
  const tensors: Record<string, Tensor> = {};
  for (const x of inputsOf(r.graphs[0])) tensors[x.name] = randomTensor(evalShape(x.shape, env), next);
  for (const p of paramsOf(r.graphs[0])) tensors[p.name] = randomTensor(evalShape(p.shape, env), next, 1 / Math.sqrt(Number(d)));
  const row = [file, `N=${n}`, `d=${d}`, `chunk=${chunk ?? 64}`];
  const outputs: Float32Array[] = [];
  for (const [label, graph] of [['recurrent', r.graphs[0]], ['chunked', r.optimized[0]]] as const) {
    if (label === 'recurrent' && Number(n) * Number(d) ** 2 * 4 > gpu.limits.maxStorageBufferBindingSize) {
      row.push('recurrent: states over the binding limit');
      continue;
    }
    const executor = await Executor.create(gpu, generatePlan(graph));
    let out = await executor.run(tensors, { profile: true });
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      out = await executor.run(tensors, { profile: true });
      ms.push((out.kernelMs ?? []).filter((k) => k.name.startsWith('scan_')).reduce((a, k) => a + k.ms, 0));
    }
    row.push(`${label} ${ms.sort((a, b) => a - b)[2].toFixed(3)} ms`);
    outputs.push(out.outputs.y.data);
  }
  if (outputs.length === 2) row.push(`max rel diff ${maxRelativeError(outputs[1], outputs[0]).toExponential(2)}`);
  console.log(row.join('  '));
}
gpu.destroy();
