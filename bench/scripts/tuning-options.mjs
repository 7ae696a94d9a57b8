// The CodegenOptions a tuning file gives a block, as JSON for a codegen-ab arm (after npm run build):
//   node bench/scripts/tuning-options.mjs TUNING.json [BLOCK] [KERNEL_REGEX]
// BLOCK defaults to saga; KERNEL_REGEX keeps only the entries of the kernels it matches.
import { readFileSync } from 'node:fs';
import { tuningFor, validateTuningFile } from '../../dist/codegen/wgsl/tuning.js';

const [file, block = 'saga', only] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/scripts/tuning-options.mjs TUNING.json [BLOCK] [KERNEL_REGEX]');
  process.exit(2);
}
const data = JSON.parse(readFileSync(file, 'utf8'));
const bad = validateTuningFile(data);
if (bad) {
  console.error(`tuning-options: ${file}: ${bad}`);
  process.exit(2);
}
const options = tuningFor(data, block);
const tuning = Object.fromEntries(Object.entries(options.tuning ?? {}).filter(([k]) => !only || new RegExp(only).test(k)));
console.log(JSON.stringify({ tuning }));
