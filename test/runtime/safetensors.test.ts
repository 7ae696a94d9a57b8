// safetensors: round trips, byte-for-byte determinism, a file built by hand here, and a reader that
// answers every malformed input with a SagaError.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SagaError } from '../../runtime/errors.js';
import { rng } from '../../runtime/random.js';
import { readSafetensors, writeSafetensors } from '../../runtime/safetensors.js';
import { readSafetensorsFile, writeSafetensorsFile } from '../../runtime/safetensors-file.js';
import type { Tensor } from '../../runtime/tensor.js';

/** A file from a header text (length-prefixed, little-endian) and raw data bytes. */
function build(header: string, data: Uint8Array | number = 0): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = Buffer.alloc(8 + h.length + d.length);
  out.writeBigUInt64LE(BigInt(h.length), 0);
  h.copy(out, 8);
  out.set(d, 8 + h.length);
  return new Uint8Array(out);
}

const entry = (dtype: unknown, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });

const tensors: Record<string, Tensor> = {
  scalar: { shape: [], data: new Float32Array([3.5]) },
  vec: { shape: [4], data: new Float32Array([1, -2, 0.25, 1e-30]) },
  mat: { shape: [2, 3], data: new Float64Array([0.1, 0.2, 0.3, -1e10, Math.PI, 7]) },
  cube: { shape: [2, 1, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
  empty: { shape: [0, 3], data: new Float32Array(0) },
};

describe('safetensors writer and reader', () => {
  it('round-trips tensors of rank 0 to 3 (f64 data rounded to f32) and metadata', () => {
    const bytes = writeSafetensors(tensors, { format: 'pt', note: 'ünïcode' });
    const back = readSafetensors(bytes);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name].shape).toEqual(t.shape);
      expect(back.tensors[name].data).toBeInstanceOf(Float32Array);
      expect(Array.from(back.tensors[name].data)).toEqual(Array.from(t.data, Math.fround));
    }
    expect(back.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect(readSafetensors(writeSafetensors(tensors)).metadata).toBeUndefined();
  });

  it('writes identical bytes whatever the key order, with sorted data and an 8-aligned header', () => {
    const reversed = Object.fromEntries(Object.entries(tensors).reverse());
    const a = writeSafetensors(tensors, { b: '1', a: '2' });
    const b = writeSafetensors(reversed, { a: '2', b: '1' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(writeSafetensors(tensors)).equals(Buffer.from(writeSafetensors(tensors)))).toBe(true);

    const n = Number(Buffer.from(a).readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const header = JSON.parse(Buffer.from(a.subarray(8, 8 + n)).toString('utf8'));
    expect(header.cube).toEqual({ dtype: 'F32', shape: [2, 1, 3], data_offsets: [0, 24] });
    expect(header.empty.data_offsets).toEqual([24, 24]);
    expect(header.mat.data_offsets).toEqual([24, 48]);
    expect(header.scalar.data_offsets).toEqual([48, 52]);
    expect(header.vec.data_offsets).toEqual([52, 68]);
    expect(a.length).toBe(8 + n + 68);
  });

  it('reads a hand-built file with F64 and F32 data at unaligned offsets', () => {
    // Header not padded to 8, so the data starts unaligned; the file also sits at an odd offset.
    const header = JSON.stringify({
      b: entry('F64', [2], [0, 16]),
      a: entry('F32', [1, 2], [16, 24]),
      __metadata__: { format: 'pt' },
    });
    const data = Buffer.alloc(24);
    data.writeDoubleLE(1.5, 0);
    data.writeDoubleLE(-0.1, 8);
    data.writeFloatLE(2.25, 16);
    data.writeFloatLE(-3, 20);
    const file = build(header, data);
    expect((8 + Buffer.byteLength(header)) % 4).not.toBe(0);
    const host = new Uint8Array(file.length + 3);
    host.set(file, 3);
    const { tensors: t, metadata } = readSafetensors(host.subarray(3));
    expect(t.b).toEqual({ shape: [2], data: new Float32Array([1.5, Math.fround(-0.1)]) });
    expect(t.a).toEqual({ shape: [1, 2], data: new Float32Array([2.25, -3]) });
    expect(metadata).toEqual({ format: 'pt' });
  });

  it('refuses tensors it cannot write', () => {
    expect(() => writeSafetensors({ x: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/tensor 'x' has 3 values but shape \[2, 2\] needs 4/);
    expect(() => writeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(SagaError);
  });
});

describe('safetensors reader on malformed input', () => {
  const ok = (shape: unknown = [2], offsets: unknown = [0, 8], dtype: unknown = 'F32') => ({ x: entry(dtype, shape, offsets) });
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', new Uint8Array(5), /too short for a safetensors file \(5 bytes/],
    ['a header length beyond the file', build('{}').subarray(0, 9), /header length 2 runs past the end of the file \(9 bytes\)/],
    ['a header length over 100 MB', (() => { const b = build('{}'); new DataView(b.buffer).setBigUint64(0, 1n << 40n, true); return b; })(), /header length 1099511627776 is over the 100000000-byte limit/],
    ['a header that is not UTF-8', build('{"ab"}').map((c, i) => (i === 10 ? 0xff : c)), /header is not valid UTF-8/],
    ['a header that is not JSON', build('{"x": '), /header is not valid JSON/],
    ['a header that is an array', build('[1, 2]'), /header must be a JSON object, got \[1,2\]/],
    ['a header that is null', build('null'), /header must be a JSON object, got null/],
    ['an entry that is not an object', build('{"x": 3}'), /tensor 'x': entry must be an object, got 3/],
    ['an entry without dtype', build(JSON.stringify({ x: { shape: [2], data_offsets: [0, 8] } }), 8), /tensor 'x' has no dtype/],
    ['an entry without shape', build(JSON.stringify({ x: { dtype: 'F32', data_offsets: [0, 8] } }), 8), /tensor 'x' has no shape/],
    ['an entry without data_offsets', build(JSON.stringify({ x: { dtype: 'F32', shape: [2] } }), 8), /tensor 'x' has no data_offsets/],
    ['a dtype that is not a string', build(JSON.stringify(ok([2], [0, 8], 4)), 8), /tensor 'x': dtype must be a string, got 4/],
    ['an unknown dtype', build(JSON.stringify(ok([2], [0, 2], 'I8')), 8), /tensor 'x' has dtype "I8"; sagac reads F32 and F64/],
    ['a shape that is not an array', build(JSON.stringify(ok('2')), 8), /tensor 'x': shape must be an array, got "2"/],
    ['a negative dim', build(JSON.stringify(ok([2, -1])), 8), /tensor 'x': shape \[2,-1\] has -1 on axis 1; sizes must be non-negative integers/],
    ['a fractional dim', build(JSON.stringify(ok([1.5])), 8), /tensor 'x': shape \[1.5\] has 1.5 on axis 0/],
    ['a string dim', build(JSON.stringify(ok(['2'])), 8), /tensor 'x': shape \["2"\] has "2" on axis 0/],
    ['data_offsets of one number', build(JSON.stringify(ok([2], [0])), 8), /tensor 'x': data_offsets must be \[begin, end\] with non-negative integers, got \[0\]/],
    ['negative data_offsets', build(JSON.stringify(ok([2], [-8, 0])), 8), /tensor 'x': data_offsets must be \[begin, end\]/],
    ['data_offsets that are strings', build(JSON.stringify(ok([2], ['0', '8'])), 8), /tensor 'x': data_offsets must be \[begin, end\]/],
    ['data_offsets that end before they begin', build(JSON.stringify(ok([2], [8, 0])), 8), /tensor 'x': data_offsets \[8, 0\] end before they begin/],
    ['data_offsets past the data', build(JSON.stringify(ok([2], [0, 8])), 7), /tensor 'x': data_offsets \[0, 8\] run past the end of the data \(7 bytes\)/],
    ['a size that disagrees with the shape', build(JSON.stringify(ok([3], [0, 8])), 8), /tensor 'x': shape \[3\] of F32 needs 12 bytes, data_offsets \[0, 8\] give 8/],
    ['overlapping tensors', build(JSON.stringify({ a: entry('F32', [2], [0, 8]), b: entry('F32', [2], [4, 12]) }), 12), /tensors 'a' \[0, 8\] and 'b' \[4, 12\] overlap/],
    ['metadata that is not an object', build(JSON.stringify({ __metadata__: [1] })), /__metadata__ must be an object of strings/],
    ['metadata with a non-string value', build(JSON.stringify({ __metadata__: { k: 1 } })), /__metadata__ entry 'k' must be a string, got 1/],
  ];
  it.each(cases)('%s', (_, bytes, message) => {
    expect(() => readSafetensors(bytes, 'in.safetensors')).toThrow(SagaError);
    expect(() => readSafetensors(bytes, 'in.safetensors')).toThrow(message);
    expect(() => readSafetensors(bytes, 'in.safetensors')).toThrow(/^in.safetensors: /);
  });

  it('accepts gaps between tensors and empty tensors anywhere', () => {
    const header = JSON.stringify({ a: entry('F32', [1], [0, 4]), e: entry('F32', [0], [2, 2]), b: entry('F32', [1], [8, 12]) });
    const t = readSafetensors(build(header, 12)).tensors;
    expect(t.e.shape).toEqual([0]);
    expect(t.b.data.length).toBe(1);
  });

  it('keeps a tensor named __proto__ as an ordinary entry', () => {
    const t = readSafetensors(build('{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', 4)).tensors;
    expect(Object.keys(t)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
  });

  it('throws nothing but SagaError on a few hundred truncated or corrupted files', () => {
    const valid = writeSafetensors(tensors, { format: 'pt' });
    const headerEnd = 8 + Number(Buffer.from(valid).readBigUInt64LE(0));
    const next = rng(99);
    const pick = (n: number) => Math.floor(next() * n);
    let failures = 0;
    for (let i = 0; i < 400; i++) {
      let bytes = valid.slice();
      if (i % 4 === 0) bytes = bytes.slice(0, pick(bytes.length));
      else {
        // Mostly corrupt the header and its length, where the parser's decisions are.
        for (let f = 0; f <= pick(4); f++) bytes[next() < 0.8 ? pick(headerEnd) : pick(bytes.length)] ^= 1 + pick(255);
      }
      try {
        readSafetensors(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(SagaError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(100);
  });
});

describe('safetensors files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagac-st-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through a temporary file and reads back', () => {
    const path = join(dir, 'a.safetensors');
    writeSafetensorsFile(path, tensors);
    expect(readdirSync(dir)).toEqual(['a.safetensors']);
    expect(readSafetensorsFile(path).tensors.cube.shape).toEqual([2, 1, 3]);
  });

  it('names the path when it cannot read or write, and leaves no temporary file', () => {
    expect(() => readSafetensorsFile(join(dir, 'missing.safetensors'))).toThrow(/cannot read .*missing\.safetensors: ENOENT/);
    expect(() => writeSafetensorsFile(join(dir, 'no', 'such', 'x.safetensors'), tensors)).toThrow(/cannot write .*x\.safetensors: ENOENT/);
    const sub = join(dir, 'sub');
    mkdirSync(join(sub, 'taken.safetensors'), { recursive: true });
    expect(() => writeSafetensorsFile(join(sub, 'taken.safetensors'), tensors)).toThrow(SagaError);
    expect(readdirSync(sub)).toEqual(['taken.safetensors']);
  });

  it('names the file in format errors', () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, writeSafetensors(tensors).subarray(0, 20));
    expect(() => readSafetensorsFile(path)).toThrow(/bad\.safetensors: header length \d+ runs past the end of the file \(20 bytes\)/);
  });
});
