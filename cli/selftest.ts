// `sagac selftest [FILE...]`: every kernel of every block (the bundled examples by default), fused
// and unfused, on this adapter against the float64 interpreter (runtime/selftest.ts), as a table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generatePlan } from '../codegen/wgsl/index.js';
import { SELFTEST_FLOOR, SELFTEST_FLOOR_F16, SELFTEST_K, selfTest, type SelfTestReport } from '../runtime/selftest.js';
import { acquireDevice } from '../runtime/webgpu/index.js';
import { compileFile } from './common.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

const LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage'] as const;

export async function selftest(files: readonly string[], precision: 'f32' | 'f16' = 'f32'): Promise<number> {
  const paths = files.length > 0 ? files : readdirSync(EXAMPLES).filter((f) => f.endsWith('.saga')).sort().map((f) => join(EXAMPLES, f));
  const gpu = await acquireDevice();
  const reports: { file: string; report: SelfTestReport }[] = [];
  try {
    console.log(`adapter: ${gpu.describe()}`);
    console.log(`limits:  ${LIMITS.map((l) => `${l} ${gpu.limits[l]}`).join(', ')}`);
    const floor = precision === 'f16' ? SELFTEST_FLOOR_F16 : SELFTEST_FLOOR;
    console.log(`storage: ${precision} (arithmetic f32)`);
    console.log(`pass:    each kernel within ${floor} of the float64 interpreter (normwise); each output's fused error ≤ max(${SELFTEST_K} × unfused error, ${floor})\n`);
    console.log(`${'file / block'.padEnd(34)}${'arm'.padEnd(9)}${'kernel'.padEnd(30)}${'error'.padStart(10)}  result`);
    for (const path of paths) {
      const r = compileFile(path);
      for (let i = 0; i < r.graphs.length; i++) {
        const report = await selfTest(gpu, {
          unfused: { graph: r.graphs[i], plan: generatePlan(r.graphs[i], { precision }) },
          fused: { graph: r.optimized[i], plan: generatePlan(r.optimized[i], { precision }) },
        });
        reports.push({ file: path, report });
        const where = `${path.split(/[\\/]/).pop()} / ${report.block}`;
        // Errors propagate to the kernels that read a wrong result: the first failure is the culprit.
        const first = report.kernels.find((k) => !k.pass);
        for (const k of report.kernels) {
          const name = k.buffer === report.kernels.find((x) => x.kernel === k.kernel && x.arm === k.arm)!.buffer ? k.kernel : `${k.kernel} → ${k.buffer}`;
          console.log(`${where.padEnd(34)}${k.arm.padEnd(9)}${name.padEnd(30)}${k.error.toExponential(1).padStart(10)}  ${k.pass ? 'ok' : k === first ? 'FAIL (first)' : 'FAIL'}`);
        }
        for (const o of report.outputs) {
          console.log(`${where.padEnd(34)}${'output'.padEnd(9)}${o.name.padEnd(30)}${o.fused.toExponential(1).padStart(10)}  ${o.pass ? 'ok' : 'FAIL'} (unfused ${o.unfused.toExponential(1)}; ${Object.entries(report.dims).map(([s, v]) => `${s}=${v}`).join(' ')})`);
        }
      }
    }
  } finally {
    gpu.destroy();
  }
  const failed = reports.filter((r) => !r.report.pass);
  const kernels = reports.reduce((n, r) => n + r.report.kernels.length, 0);
  console.log(`\n${reports.length - failed.length} of ${reports.length} blocks pass (${kernels} kernel results checked)${failed.length ? `; failing: ${failed.map((f) => f.report.block).join(', ')}` : ''}`);
  return failed.length === 0 ? 0 : 1;
}
