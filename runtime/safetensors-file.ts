// Safetensors files on disk, and atomic writes (Node only; runtime/safetensors.ts is the
// browser-safe codec).
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SagaError } from './errors.js';
import { readSafetensors, writeSafetensors, type Safetensors } from './safetensors.js';
import type { TensorMap } from './tensor.js';

/** Reads and parses a safetensors file; errors name the path. */
export function readSafetensorsFile(path: string): Safetensors {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new SagaError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return readSafetensors(bytes, path);
}

/**
 * Writes `bytes` to `path` via a temporary file in the same directory and a rename, so a failure
 * never leaves a half-written output (and never clobbers an existing one).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file was never created, or is already gone.
    }
    throw new SagaError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Writes tensors to `path` as safetensors (F32), atomically. */
export function writeSafetensorsFile(path: string, tensors: TensorMap, metadata?: Readonly<Record<string, string>>): void {
  writeFileAtomic(path, writeSafetensors(tensors, metadata));
}
