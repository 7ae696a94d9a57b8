// Hostile safetensors files: random bytes, and valid files with their header or body mutated
// (fast-check). The reader must return tensors or throw a SagaError — never another exception,
// never a hang — and what it returns must fit the file (every tensor's values inside the data).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SagaError } from '../../runtime/errors.js';
import { readSafetensors, writeSafetensors } from '../../runtime/safetensors.js';

/** Reads `bytes`; true when it returned consistent tensors or threw a SagaError. */
function readsCleanly(bytes: Uint8Array): boolean {
  const t0 = performance.now();
  try {
    const r = readSafetensors(bytes);
    for (const t of Object.values(r.tensors)) {
      const n = t.shape.reduce((p, d) => p * d, 1);
      if (t.data.length !== n || n * 4 > bytes.length) return false;
    }
  } catch (e) {
    if (!(e instanceof SagaError)) throw e;
  }
  // A malformed file is refused at once, not after scanning gigabytes that are not there.
  expect(performance.now() - t0).toBeLessThan(1000);
  return true;
}

const header = (json: string, body = new Uint8Array(0)) => {
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(body, 8 + h.length);
  return out;
};

const valid = writeSafetensors({ a: { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }, b: { shape: [4], data: new Float32Array([7, 8, 9, 10]) } }, { note: 'x' });

describe('safetensors reader under fuzzing', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), (b) => readsCleanly(b)), { numRuns: 3000 });
  });

  it('a valid file with bytes flipped, cut short or extended', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(valid.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(valid.length) }),
      fc.record({ kind: fc.constant('grow' as const), extra: fc.uint8Array({ maxLength: 64 }) }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let b = valid.slice();
        for (const e of edits) {
          if (e.kind === 'flip') b[e.at % b.length] = e.value;
          else if (e.kind === 'cut') b = b.slice(0, e.at);
          else b = Uint8Array.from([...b, ...e.extra]);
        }
        return readsCleanly(b);
      }),
      { numRuns: 3000 },
    );
  });

  it('headers with hostile values: offsets, shapes, dtypes, lengths', () => {
    const n = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e300, 0.5, -0));
    const entry = fc.record({
      dtype: fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'U8', 'BOOL', 'x', ''),
      shape: fc.array(n, { maxLength: 4 }),
      data_offsets: fc.tuple(n, n),
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), entry, { maxKeys: 4 }), fc.uint8Array({ maxLength: 128 }), (tensors, body) => readsCleanly(header(JSON.stringify(tensors), body))),
      { numRuns: 3000 },
    );
  });

  it('a header length beyond the file or absurdly large is refused by name', () => {
    const b = valid.slice();
    new DataView(b.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(() => readSafetensors(b)).toThrow(SagaError);
    expect(() => readSafetensors(header('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', new Uint8Array(4)))).toThrow(/overlap/);
  });
});
