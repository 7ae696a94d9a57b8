// The sagac command as users run it: the built bin in a child process, files on disk.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor, rng } from '../../runtime/random.js';
import { readSafetensorsFile, writeSafetensorsFile } from '../../runtime/safetensors-file.js';
import { maxRelativeError } from '../../runtime/tensor.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/main.js');
let dir: string;

function sagac(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // The bin runs from dist/: rebuild so the test sees the current sources.
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  dir = mkdtempSync(join(tmpdir(), 'sagac-cli-'));
}, 120_000);

describe('the bin itself', () => {
  it('runs as an executable (its shebang, mode 755 after npm run build), with --version and help', () => {
    // What `npx sagac` in a clone and an installed package's bin run: the file, not `node file`.
    const version = execFileSync(bin, ['--version'], { cwd: root, encoding: 'utf8' });
    expect(version).toBe(`sagac ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
    expect(execFileSync(bin, ['help'], { cwd: root, encoding: 'utf8' })).toMatch(/^usage: sagac <command> FILE\.saga \[options\]/);
  });
});

describe('sagac wgsl --dim', () => {
  it('prints the kernels made for the sizes (vec4 rows), and refuses a dim the block does not use', () => {
    const sized = sagac('wgsl', 'examples/saga.saga', '--dim', 'C=64');
    expect(sized.code).toBe(0);
    expect(sized.stdout).toContain('// ===== block saga, kernel matmul_y, made for C=64 =====');
    expect(sized.stdout).toContain('array<vec4<f32>>');
    expect(sagac('wgsl', 'examples/saga.saga').stdout).not.toContain('array<vec4<f32>>');
    const bad = sagac('wgsl', 'examples/saga.saga', '--dim', 'D=64');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--dim D: no block here uses it (their dims: B, C, N)');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('sagac info --json', () => {
  it('lists each block with inputs, params and outputs and their symbolic shapes', () => {
    const r = sagac('info', 'examples/saga.saga', '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.blocks).toHaveLength(1);
    const b = info.blocks[0];
    expect(b.name).toBe('saga');
    expect(b.symbols).toEqual(['B', 'N', 'C']);
    expect(b.inputs).toEqual([{ name: 'x', shape: ['B', 'N', 'C'] }]);
    expect(b.params.map((p: { name: string }) => p.name)).toEqual(['w_q', 'w_k', 'w_v', 'w_a', 'b_a', 'w_b', 'b_b', 'w_o']);
    expect(b.params[4]).toEqual({ name: 'b_a', shape: ['C'] });
    expect(b.outputs).toEqual([{ name: 'y', shape: ['B', 'N', 'C'] }]);
    expect(b.tokenChunks).toEqual({ dim: 'N', reductions: [{ name: 's', kind: 'mean' }, { name: 'z', kind: 'mean' }] });
    const text = sagac('info', 'examples/causal_linear.saga');
    expect(text.stdout).toMatch(/^ {2}token chunks: no, a causal scan \(%\d+\) carries its state from token to token \(causal_linear\.saga:\d+:\d+\)$/m);
  });

  it('prints numbers for literal dims and dim names for derived ones', () => {
    const file = join(dir, 'lit.saga');
    writeFileSync(file, 'block t {\n  dim d = C / 2\n  input x: [N, C]\n  param w: [C, 3]\n  output y = split_heads(x, 2)\n  output z = x @ w\n}\n');
    const b = JSON.parse(sagac('info', file, '--json').stdout).blocks[0];
    expect(b.outputs).toEqual([{ name: 'y', shape: [2, 'N', 'd'] }, { name: 'z', shape: ['N', 3] }]);
  });
});

describe('sagac check', () => {
  it('reports a DSL mistake with file:line:col and a caret, exit 1, no stack trace', () => {
    const file = join(dir, 'bad.saga');
    writeFileSync(file, 'block t {\n  input x: [N, C]\n  output y = relu(xx)\n}\n');
    const r = sagac('check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3:19: error SG2001: unknown name 'xx'`);
    expect(r.stderr).toMatch(/\|\s+\^\^/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says so when the file does not exist', () => {
    const r = sagac('check', join(dir, 'nope.saga'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such file');
  });

  it('accepts every example', () => {
    for (const f of ['saga.saga', 'linear.saga', 'saga_n2.saga']) expect(sagac('check', `examples/${f}`).code).toBe(0);
  });
});

describe('sagac run', () => {
  const next = rng(7);
  const N = 9;
  const C = 6;
  const x = randomTensor([N, C], next);
  const w = randomTensor([C, 4], next);
  let prog: string;

  beforeAll(() => {
    prog = join(dir, 'proj.saga');
    writeFileSync(prog, 'block proj {\n  input x: [N, C]\n  param w: [C, D]\n  output y = relu(x @ w)\n}\n');
    writeSafetensorsFile(join(dir, 'in.safetensors'), { x });
    writeSafetensorsFile(join(dir, 'p.safetensors'), { w });
  });

  // relu(x @ w), written out independently of the interpreter.
  const expected = () => {
    const y = new Float64Array(N * 4);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < 4; j++) {
        let acc = 0;
        for (let c = 0; c < C; c++) acc += x.data[i * C + c] * w.data[c * 4 + j];
        y[i * 4 + j] = Math.max(acc, 0);
      }
    return y;
  };

  for (const backend of ['cpu', 'webgpu']) {
    it(`round-trips safetensors through the ${backend} backend`, () => {
      const out = join(dir, `out-${backend}.safetensors`);
      const r = sagac('run', prog, '--inputs', join(dir, 'in.safetensors'), '--params', join(dir, 'p.safetensors'), '--out', out, '--backend', backend);
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      const y = readSafetensorsFile(out).tensors.y;
      expect(y.shape).toEqual([N, 4]);
      expect(maxRelativeError(y.data, expected())).toBeLessThanOrEqual(1e-6);
    });
  }

  /** Seeded x of `shape` and the SAGA example's params, to `<prefix>x.safetensors` and `<prefix>p.safetensors`. */
  const writeSagaTensors = (prefix: string, shape: [number, number, number], seed: number) => {
    const g = rng(seed);
    const C = shape[2];
    const params: Record<string, ReturnType<typeof randomTensor>> = {};
    const x = randomTensor(shape, g);
    for (const p of ['w_q', 'w_k', 'w_v', 'w_a', 'w_b', 'w_o']) params[p] = randomTensor([C, C], g, 0.3);
    for (const p of ['b_a', 'b_b']) params[p] = randomTensor([C], g, 0.3);
    writeSafetensorsFile(join(dir, `${prefix}x.safetensors`), { x });
    writeSafetensorsFile(join(dir, `${prefix}p.safetensors`), params);
  };

  it('runs the SAGA example on WebGPU and the CPU to the same output', () => {
    const Cs = 10;
    writeSagaTensors('s', [2, 7, Cs], 3);
    const outs = ['cpu', 'webgpu'].map((backend) => {
      const out = join(dir, `s-${backend}.safetensors`);
      const r = sagac('run', 'examples/saga.saga', '--inputs', join(dir, 'sx.safetensors'), '--params', join(dir, 'sp.safetensors'), '--out', out, '--backend', backend);
      expect(r.code, r.stderr).toBe(0);
      return readSafetensorsFile(out).tensors.y;
    });
    expect(outs[1].shape).toEqual([2, 7, Cs]);
    expect(maxRelativeError(outs[1].data, outs[0].data)).toBeLessThanOrEqual(1e-4);
  });

  it('runs the SAGA example in token chunks with --token-chunk, to the interpreter output; a bad chunk is one line', () => {
    writeSagaTensors('c', [2, 64, 16], 5);
    const args = (out: string, ...more: string[]) => ['run', 'examples/saga.saga', '--inputs', join(dir, 'cx.safetensors'), '--params', join(dir, 'cp.safetensors'), '--out', join(dir, out), ...more];
    expect(sagac(...args('c-cpu.safetensors', '--backend', 'cpu')).code).toBe(0);
    const r = sagac(...args('c-gpu.safetensors', '--token-chunk', '16'));
    expect(r.code, r.stderr).toBe(0);
    const [cpu, gpu] = ['c-cpu', 'c-gpu'].map((f) => readSafetensorsFile(join(dir, `${f}.safetensors`)).tensors.y);
    expect(maxRelativeError(gpu.data, cpu.data)).toBeLessThanOrEqual(1e-4);
    const bad = sagac(...args('c-bad.safetensors', '--token-chunk', '24'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('tokenChunk 24 does not divide N = 64 into whole chunks');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs with --tuning: the fused kernels take the entries for the run\'s sizes, to the interpreter output', () => {
    writeSagaTensors('t', [2, 64, 16], 7);
    const tuning = join(dir, 'tuning.json');
    // B=2, N=64, C=16 is bucket B=2,C=16,N=64: two token ranges where the defaults make one.
    const entry = { block: 'saga', kernel: 'outer_mean_s_projected', bucket: 'B=2,C=16,N=64', params: { splits: 2 }, ms: 1, defaultMs: 1 };
    writeFileSync(tuning, JSON.stringify({ sagac: 'test', adapter: 'any', entries: [entry] }));
    const args = (out: string, ...more: string[]) => ['run', 'examples/saga.saga', '--inputs', join(dir, 'tx.safetensors'), '--params', join(dir, 'tp.safetensors'), '--out', join(dir, out), ...more];
    expect(sagac(...args('t-cpu.safetensors', '--backend', 'cpu')).code).toBe(0);
    const r = sagac(...args('t-gpu.safetensors', '--tuning', tuning, '--report', join(dir, 't-report.json')));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('tuned: outer_mean_s_projected splits 2\n');
    expect(readFileSync(join(dir, 't-report.json'), 'utf8')).toContain('partial sums over 2 token ranges');
    const [cpu, gpu] = ['t-cpu', 't-gpu'].map((f) => readSafetensorsFile(join(dir, `${f}.safetensors`)).tensors.y);
    expect(maxRelativeError(gpu.data, cpu.data)).toBeLessThanOrEqual(1e-4);
    const unfused = sagac(...args('t-bad.safetensors', '--tuning', tuning, '--no-fuse'));
    expect(unfused.code).toBe(1);
    expect(unfused.stderr).toBe("sagac: error: --tuning sets the fused block's kernels: it needs the webgpu backend, without --no-fuse\n");
  });

  it('runs within --max-memory: whole where it fits, else in the largest token chunk that does, else one line why not', () => {
    writeSagaTensors('m', [2, 64, 16], 5);
    // saga_n2.saga: its gated key is read twice, so it is stored and chunks hold less than a whole
    // run (saga.saga's whole run already holds just x and y: no chunking does better).
    const args = (max: string) => ['run', 'examples/saga_n2.saga', '--inputs', join(dir, 'mx.safetensors'), '--params', join(dir, 'mp.safetensors'), '--out', join(dir, `m-${max}.safetensors`), '--max-memory', max];
    const whole = sagac(...args('1G'));
    expect(whole.code, whole.stderr).toBe(0);
    const planned = Number(/storage: ([\d.]+) kB planned, whole/.exec(whole.stderr)![1]);
    const tight = sagac(...args(`${Math.floor(planned) - 1}K`));
    expect(tight.code, tight.stderr).toBe(0);
    expect(tight.stderr).toMatch(/storage: [\d.]+ kB planned, in chunks of \d+ tokens/);
    const [a, b] = ['1G', `${Math.floor(planned) - 1}K`].map((m) => readSafetensorsFile(join(dir, `m-${m}.safetensors`)).tensors.y);
    expect(maxRelativeError(b.data, a.data)).toBeLessThanOrEqual(1e-5);
    const none = sagac(...args('1K'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^sagac: error: no run of block saga_n2 fits in 1\.0 kB of storage: the whole run needs [\d.]+ kB, chunks of \d+ tokens [\d.]+ kB\n$/);
    expect(sagac(...args('lots')).stderr).toContain("--max-memory expects a size such as 512M or 2G, got 'lots'");
  });

  it('writes a memory report with --report', () => {
    const report = join(dir, 'report.json');
    const r = sagac('run', prog, '--inputs', join(dir, 'in.safetensors'), '--params', join(dir, 'p.safetensors'), '--out', join(dir, 'rep-out.safetensors'), '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.buffers.find((b: { name: string }) => b.name === 'x')).toMatchObject({ usage: 'input', bytes: N * C * 4, shape: [N, C] });
    expect(json.peakBytes).toBeGreaterThan(0);
    expect(sagac('run', prog, '--inputs', join(dir, 'in.safetensors'), '--params', join(dir, 'p.safetensors'), '--out', join(dir, 'rep-out.safetensors'), '--report', report, '--backend', 'cpu').stderr).toContain('--report needs the webgpu backend');
  });

  it('refuses an input holding NaN, naming the tensor and the index, unless told otherwise', () => {
    const nan = join(dir, 'nan.safetensors');
    const bad = randomTensor([N, C], rng(9));
    bad.data[2 * C + 3] = NaN;
    writeSafetensorsFile(nan, { x: bad });
    const args = ['run', prog, '--inputs', nan, '--params', join(dir, 'p.safetensors'), '--out', join(dir, 'nan-out.safetensors'), '--backend', 'cpu'];
    const r = sagac(...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("tensor 'x' holds NaN at [2, 3]");
    expect(sagac(...args, '--allow-nonfinite').code).toBe(0);
  });

  it('names a missing param and a misshapen input, without a stack trace', () => {
    const bad = join(dir, 'bad-in.safetensors');
    writeSafetensorsFile(bad, { x: randomTensor([N, C + 1], next) });
    for (const [inputs, params, pattern] of [
      [join(dir, 'in.safetensors'), undefined, /missing param 'w'/],
      [bad, join(dir, 'p.safetensors'), /'x' has size 7 on axis 1, expected C \(C = 6\)|'w' has size 6 on axis 0, expected C \(C = 7\)/],
    ] as const) {
      const args = ['run', prog, '--inputs', inputs, '--out', join(dir, 'never.safetensors'), '--backend', 'cpu'];
      if (params) args.push('--params', params);
      const r = sagac(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('sagac demo', () => {
  it('compares fused and unfused with the float64 interpreter and times the kernels alone and whole runs', () => {
    const r = sagac('demo', 'examples/saga.saga', '--dim', 'N=64', '--repeat', '2');
    expect(r.code).toBe(0);
    // lavapipe has timestamp queries: the kernels' time is from them.
    for (const arm of ['fused', 'unfused']) {
      expect(r.stdout).toMatch(new RegExp(`webgpu ${arm} +\\d+ kernels: [\\d.]+ ms \\([\\d.]+–[\\d.]+, GPU timestamps\\) over 2 runs; a whole run with uploads and read-back [\\d.]+ ms`));
      expect(r.stdout).toMatch(new RegExp(`output y \\[1, 64, 64\\] ${arm}: max relative error [\\d.e-]+`));
    }
    expect(r.stdout).toMatch(/fused vs unfused: [\d.]+x \(kernel time ratio, this adapter\)/);
    expect(r.stdout).toMatch(/ok: within 0\.0001/);
  });

  it('with --tuning, the fused arm takes the entries for its sizes and still agrees', () => {
    const tuning = join(dir, 'demo-tuning.json');
    const entry = { block: 'saga', kernel: 'outer_mean_s_projected', bucket: 'B=1,C=64,N=64', params: { splits: 2 }, ms: 1, defaultMs: 1 };
    writeFileSync(tuning, JSON.stringify({ sagac: 'test', adapter: 'any', entries: [entry] }));
    const r = sagac('demo', 'examples/saga.saga', '--dim', 'N=64', '--repeat', '1', '--tuning', tuning);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  tuned:    outer_mean_s_projected splits 2\n');
    expect(r.stdout).toMatch(/ok: within 0\.0001/);
  });
});
