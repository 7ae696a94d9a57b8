// Exits 0 and prints the adapter when WebGPU (Dawn, npm `webgpu`) finds one; exits 2 when not.
// The GPU object and adapter stay referenced from `held` while in use (Dawn crashes otherwise).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.XDG_RUNTIME_DIR) {
  process.env.XDG_RUNTIME_DIR = join(tmpdir(), 'sagac-xdg');
  mkdirSync(process.env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
}
const held = {};
try {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  held.gpu = create([]);
  held.adapter = await held.gpu.requestAdapter();
} catch (e) {
  console.log(`webgpu failed to load: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
}
if (!held.adapter) {
  console.log('no WebGPU adapter found');
  process.exit(2);
}
const i = held.adapter.info;
console.log(`WebGPU adapter: ${[i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'unnamed'}`);
process.exit(0);
