// The CodegenOptions a tuning file gives a block, as JSON for a codegen-ab arm (after npm run build):
//   node bench/scripts/tuning-options.mjs TUNING.json [BLOCK] [KERNEL_REGEX] [DIMS]
// BLOCK defaults to saga; KERNEL_REGEX keeps only the entries of the kernels it matches ('' for
// all); DIMS (B=8,N=6400,C=320: every size of the block) takes that bucket's entries where the
// file has them, as `sagac build --dim` does; without it, each kernel's largest bucket.
import { readFileSync } from 'node:fs';
import { dimFlag } from '../../dist/cli/common.js';
import { tuningFor, validateTuningFile } from '../../dist/codegen/wgsl/tuning.js';

const USAGE = 'usage: node bench/scripts/tuning-options.mjs TUNING.json [BLOCK] [KERNEL_REGEX] [DIMS]';
const [file, block = 'saga', only, dimsText] = process.argv.slice(2);
if (!file) {
  console.error(USAGE);
  process.exit(2);
}
const flags = dimsText ? dimsText.split(',').map(dimFlag) : undefined;
const dims = flags && !flags.includes(undefined) ? new Map(flags) : undefined;
if (flags && !dims) {
  console.error(`tuning-options: DIMS '${dimsText}': expected NAME=SIZE,... with whole sizes\n${USAGE}`);
  process.exit(2);
}
const data = JSON.parse(readFileSync(file, 'utf8'));
const bad = validateTuningFile(data);
if (bad) {
  console.error(`tuning-options: ${file}: ${bad}`);
  process.exit(2);
}
const options = tuningFor(data, block, dims);
const tuning = Object.fromEntries(Object.entries(options.tuning ?? {}).filter(([k]) => !only || new RegExp(only).test(k)));
console.log(JSON.stringify({ tuning }));
