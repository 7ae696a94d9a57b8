// The SPIR-V Dawn makes of sagac's kernels, for the Vulkan driver's statistics (bench/vulkan/vkstats.c):
//   node bench/scripts/spirv-dump.mjs OUTDIR (FILE.wgsl | mm:TILE:THREADS:SCHEDULE)...
// FILE.wgsl: `sagac wgsl` output (one kernel per `// ===== ... kernel NAME,` section); mm:...: a bare
// matmul kernel (vec4 rows, interior fast path). Writes OUTDIR/NAME.spvasm (Dawn's disassembly, less
// SPV_KHR_maximal_reconvergence, which Debian 12's spirv-as does not know), OUTDIR/NAME.kinds (its
// bindings in order: s storage, u uniform) and, where `spirv-as` is installed, OUTDIR/NAME.spv.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--child') await child(rest);
else await parent(mode, rest);

function kernelsOf(items) {
  return Promise.all(
    items.map(async (it) => {
      if (!it.startsWith('mm:')) {
        return readFileSync(it, 'utf8')
          .split(/^(?=\/\/ ===== )/m)
          .flatMap((part) => {
            const m = /kernel (\S+),/.exec(part);
            return m ? [{ name: m[1], wgsl: part }] : [];
          });
      }
      const { matmulKernel } = await import('../../dist/codegen/wgsl/matmul.js');
      const { dim } = await import('../../dist/runtime/shape.js');
      const [, tile, threads, schedule] = it.split(':');
      const num = (x) => (/^\d+$/.test(x) ? Number(x) : x);
      const [M, K, N] = [dim('M'), dim('K'), dim('N')];
      const k = matmulKernel({ name: 'mm', header: [], a: { id: 'a', shape: [M, K] }, b: { id: 'b', shape: [K, N] }, write: 'c', shape: [M, N], tile: num(tile), threads: num(threads), schedule, interior: true, vec4Rows: () => true, workgroupMemory: 49152 });
      return [{ name: `mm_${tile}_${threads}_${schedule}`, wgsl: k.wgsl }];
    }),
  ).then((l) => l.flat());
}

// Dawn prints its dump (toggle dump_shaders) on stdout, buffered apart from Node's writes: one
// child process a kernel, whose whole stdout is that kernel's dump.
async function child([item, index]) {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create(['enable-dawn-features=dump_shaders,disable_symbol_renaming']);
  const adapter = await gpu.requestAdapter();
  const l = adapter.limits;
  const keep = { gpu, adapter, device: await adapter.requestDevice({ requiredLimits: { maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup, maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX, maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY, maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize, maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage } }) };
  const k = (await kernelsOf([item]))[Number(index)];
  await keep.device.createComputePipelineAsync({ layout: 'auto', compute: { module: keep.device.createShaderModule({ code: k.wgsl }), entryPoint: 'main' } });
  keep.device.destroy();
}

async function parent(out, items) {
  if (!out || items.length === 0) {
    process.stderr.write('usage: node bench/scripts/spirv-dump.mjs OUTDIR (FILE.wgsl | mm:TILE:THREADS:SCHEDULE)...\n');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const asSpv = spawnSync('spirv-as', ['--version']).status === 0;
  for (const item of items) {
    const names = await kernelsOf([item]).then((ks) => ks.map((k) => k.name));
    for (const [i, name] of names.entries()) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', item, String(i)], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const at = r.stdout.indexOf('Dumped SPIRV disassembly');
      if (r.status !== 0 || at < 0) {
        process.stderr.write(`${name}: no SPIR-V dump\n${r.stderr}`);
        process.exit(1);
      }
      const lines = r.stdout.slice(r.stdout.indexOf('\n', at) + 1).split('\n');
      const end = lines.findIndex((l) => l.startsWith('// Dumped') || l.startsWith('/* Dumped'));
      const text = `${(end < 0 ? lines : lines.slice(0, end)).filter((l) => !l.includes('MaximallyReconvergesKHR') && !l.includes('SPV_KHR_maximal_reconvergence')).join('\n')}\n`;
      const binds = [...text.matchAll(/OpDecorate (%\w+) Binding (\d+)/g)].map(([, v, b]) => [Number(b), v]).sort((a, b) => a[0] - b[0]);
      const kinds = binds.map(([, v]) => (new RegExp(`${v} = OpVariable %_ptr_Uniform_`).test(text) ? 'u' : 's')).join('');
      const base = `${out}/${name}`;
      writeFileSync(`${base}.spvasm`, text);
      writeFileSync(`${base}.kinds`, kinds);
      if (asSpv && spawnSync('spirv-as', ['--target-env', 'vulkan1.3', `${base}.spvasm`, '-o', `${base}.spv`], { stdio: 'inherit' }).status !== 0) process.exit(1);
      console.log(`${base}.spvasm  bindings ${kinds}${asSpv ? '  .spv' : ''}`);
    }
  }
}
