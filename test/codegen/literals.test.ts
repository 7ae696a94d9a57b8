// Exact constants: every f32 the IR can hold prints as a WGSL literal that parses back to the
// same bits — checked by parsing the text here (fast-check over all 2^32 bit patterns), and by
// Dawn's compiler: a kernel storing 256 random literals reads back bit for bit.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { f32Literal } from '../../codegen/wgsl/print.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';

const fromBits = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0];
const bitsOf = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];

/** The value a literal denotes, read independently of the printer: a decimal, or a bit pattern. */
function parseLiteral(text: string): number {
  const bits = /^saga_f32_bits\(0x([0-9a-f]+)u\)$/.exec(text);
  if (bits) return fromBits(parseInt(bits[1], 16));
  const m = /^\(?(-?[0-9.e+-]+)f\)?$/.exec(text);
  if (!m) throw new Error(`not a literal: ${text}`);
  return Math.fround(Number(m[1]));
}

const anyF32 = fc.integer({ min: 0, max: 0xffffffff }).map(fromBits);

describe('f32 literals', () => {
  it('parse back to the same f32 (NaN as NaN, -0 as -0)', () => {
    fc.assert(
      fc.property(anyF32, (v) => {
        const back = parseLiteral(f32Literal(v));
        if (Number.isNaN(v)) return Number.isNaN(back);
        return Object.is(back, v);
      }),
      { numRuns: 20000 },
    );
  });

  describe('on Dawn', () => {
    let gpu: GpuContext;
    beforeAll(async () => {
      gpu = await acquireDevice();
    });
    afterAll(() => gpu?.destroy());

    it('store exactly the bits the IR holds', async () => {
      const values = fc.sample(anyF32, { numRuns: 256, seed: 42 }).concat([0, -0, 1, -1, 3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, 0.1, 1e-6, Infinity, -Infinity]);
      const body = values.map((v, i) => `  out[${i}] = ${f32Literal(v)};`).join('\n');
      const code = `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
fn saga_f32_bits(b: u32) -> f32 { return bitcast<f32>(b); }
@compute @workgroup_size(1) fn main() {\n${body}\n}\n`;
      const { device } = gpu;
      const module = device.createShaderModule({ code });
      const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      expect(errors.map((m) => m.message)).toEqual([]);
      const bytes = values.length * 4;
      const out = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }));
      pass.dispatchWorkgroups(1);
      pass.end();
      enc.copyBufferToBuffer(out, 0, read, 0, bytes);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const got = new Uint32Array(read.getMappedRange().slice(0));
      read.unmap();
      out.destroy();
      read.destroy();
      const mismatches = values.flatMap((v, i) => (Number.isNaN(v) ? (Number.isNaN(fromBits(got[i])) ? [] : [i]) : got[i] === bitsOf(v) ? [] : [i]));
      expect(mismatches.map((i) => `${f32Literal(values[i])} -> 0x${got[i].toString(16)} (want 0x${bitsOf(values[i]).toString(16)})`)).toEqual([]);
    });
  });
});
