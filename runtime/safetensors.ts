// safetensors, the tensor exchange format: an 8-byte little-endian header length n, n bytes of JSON
// `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {..}}` (offsets count
// from the byte after the header), then the raw data. Files come from users, so the reader trusts
// nothing: every malformed input is a SagaError naming the problem and the tensor.
import { SagaError } from './errors.js';
import type { Tensor32, TensorMap } from './tensor.js';

export interface Safetensors {
  readonly tensors: Record<string, Tensor32>;
  readonly metadata?: Record<string, string>;
}

/** Headers this large are not tensor files; refusing them bounds what a corrupt length costs us. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA = '__metadata__';
/** Dtypes we read, with their byte sizes and little-endian element readers. */
const DTYPES: Readonly<Record<string, { size: number; get: (v: DataView, at: number) => number }>> = {
  F32: { size: 4, get: (v, at) => v.getFloat32(at, true) },
  F64: { size: 8, get: (v, at) => v.getFloat64(at, true) },
};
const LAYOUT_HINT = 'a safetensors file is an 8-byte little-endian header length, a JSON header, then the tensor data';

interface Entry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
};

/**
 * Parses a safetensors file. F32 tensors are copied out as they are, F64 ones rounded to f32.
 * `what` names the source in error messages (usually the path).
 *
 * @example
 *   const { tensors } = readSafetensors(readFileSync('w.safetensors'), 'w.safetensors');
 */
export function readSafetensors(bytes: Uint8Array, what = 'file'): Safetensors {
  const fail: (problem: string) => never = (problem) => {
    throw new SagaError(`${what}: ${problem}`, LAYOUT_HINT);
  };
  if (bytes.length < 8) fail(`too short for a safetensors file (${bytes.length} bytes; the header length alone is 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} is over the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) fail(`header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);

  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(header)) fail(`header must be a JSON object, got ${show(header)}`);

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const entries: Entry[] = [];
  let metadata: Record<string, string> | undefined;
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA) {
      metadata = readMetadata(raw, fail);
      continue;
    }
    const t = `tensor '${name}'`;
    if (!isRecord(raw)) fail(`${t}: entry must be an object, got ${show(raw)}`);
    const { dtype, shape, data_offsets: offsets } = raw;
    if (dtype === undefined) fail(`${t} has no dtype`);
    if (typeof dtype !== 'string') fail(`${t}: dtype must be a string, got ${show(dtype)}`);
    if (!Object.hasOwn(DTYPES, dtype)) fail(`${t} has dtype ${show(dtype)}; sagac reads ${Object.keys(DTYPES).join(' and ')}`);
    const kind = DTYPES[dtype];
    if (shape === undefined) fail(`${t} has no shape`);
    if (!Array.isArray(shape)) fail(`${t}: shape must be an array, got ${show(shape)}`);
    const dims: number[] = shape.map((d: unknown, axis) =>
      isCount(d) ? d : fail(`${t}: shape ${show(shape)} has ${show(d)} on axis ${axis}; sizes must be non-negative integers`),
    );
    if (offsets === undefined) fail(`${t} has no data_offsets`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !isCount(offsets[0]) || !isCount(offsets[1])) {
      fail(`${t}: data_offsets must be [begin, end] with non-negative integers, got ${show(offsets)}`);
    }
    const [begin, end]: number[] = offsets;
    if (end < begin) fail(`${t}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLen) fail(`${t}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLen} bytes)`);
    const count = dims.reduce((p, d) => p * d, 1);
    if (end - begin !== count * kind.size) {
      fail(`${t}: shape ${show(shape)} of ${dtype} needs ${count * kind.size} bytes, data_offsets [${begin}, ${end}] give ${end - begin}`);
    }
    entries.push({ name, dtype, shape: dims, begin, end });
  }

  // Tensors may leave gaps but never share bytes (an empty tensor has none to share).
  const byStart = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < byStart.length; i++) {
    const [p, q] = [byStart[i - 1], byStart[i]];
    if (q.begin < p.end) fail(`tensors '${p.name}' [${p.begin}, ${p.end}] and '${q.name}' [${q.begin}, ${q.end}] overlap`);
  }

  // Copy element by element through a DataView: the data may be unaligned, and it is little-endian.
  const tensors = Object.fromEntries(
    entries.map((e) => {
      const kind = DTYPES[e.dtype];
      const data = new Float32Array((e.end - e.begin) / kind.size);
      const at = dataStart + e.begin;
      for (let i = 0; i < data.length; i++) data[i] = kind.get(view, at + i * kind.size);
      return [e.name, { shape: e.shape, data }];
    }),
  );
  return metadata === undefined ? { tensors } : { tensors, metadata };
}

function readMetadata(raw: unknown, fail: (problem: string) => never): Record<string, string> {
  if (!isRecord(raw)) return fail(`${METADATA} must be an object of strings, got ${show(raw)}`);
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') fail(`${METADATA} entry '${k}' must be a string, got ${show(v)}`);
  }
  // fromEntries keeps a key like "__proto__" as plain data.
  return Object.fromEntries(Object.entries(raw as Record<string, string>));
}

/**
 * Serialises tensors as F32 (Float64 data is rounded), in sorted name order with the header padded
 * to a multiple of 8, so equal inputs give identical bytes whatever their key order.
 *
 * @example
 *   writeFileSync('y.safetensors', writeSafetensors({ y: { shape: [2], data: new Float32Array([1, 2]) } }));
 */
export function writeSafetensors(tensors: TensorMap, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const parts: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort();
    for (const k of keys) {
      if (typeof metadata[k] !== 'string') throw new SagaError(`metadata '${k}' must be a string`);
    }
    parts.push(`${JSON.stringify(METADATA)}:{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  let offset = 0;
  for (const name of names) {
    if (name === METADATA) throw new SagaError(`a tensor cannot be named '${METADATA}' in a safetensors file`);
    const { shape, data } = tensors[name];
    if (shape.some((d) => !isCount(d))) throw new SagaError(`tensor '${name}' has shape [${shape.join(', ')}]; sizes must be non-negative integers`);
    const count = shape.reduce((p, d) => p * d, 1);
    if (count !== data.length) throw new SagaError(`tensor '${name}' has ${data.length} values but shape [${shape.join(', ')}] needs ${count}`);
    const entry = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + 4 * count] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    offset += 4 * count;
  }
  let header = new TextEncoder().encode(`{${parts.join(',')}}`);
  // Pad with spaces (valid JSON whitespace) so the data starts 8-byte aligned.
  const padded = Math.ceil(header.length / 8) * 8;
  if (padded !== header.length) {
    const h = new Uint8Array(padded).fill(0x20);
    h.set(header);
    header = h;
  }

  const out = new Uint8Array(8 + header.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let at = 8 + header.length;
  for (const name of names) {
    for (const v of tensors[name].data) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}
