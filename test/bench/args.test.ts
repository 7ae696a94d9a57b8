// Options of the benchmark: defaults, and a clear one-line reason for each kind of mistake.
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from '../../bench/args.js';
import { runBench } from '../../bench/harness.js';

const reason = (argv: string[]) => {
  try {
    parseBenchArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseBenchArgs', () => {
  it('defaults to the issue-5 grid', () => {
    const o = parseBenchArgs([]);
    expect(o).toMatchObject({ sizes: [224, 512, 1024, 1280], stages: [1, 2, 3, 4], batch: [1, 8], workloads: ['block', 'core'], repeat: 10, profile: false, out: 'bench/results' });
    expect(parseBenchArgs(['--sizes', '224', '--workloads', 'core', '--repeat', '3', '--profile']).workloads).toEqual(['core']);
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--sizes'], "Option '--sizes <value>' argument missing"],
    [['--sizes', '224,abc'], "--sizes: 'abc' is not a positive integer"],
    [['--sizes', '200'], '--sizes: 200 is not a multiple of 32'],
    [['--stages', '5'], '--stages: 5 is not a PVT-T stage (1 to 4)'],
    [['--batch', '0'], "--batch: '0' is not a positive integer"],
    [['--repeat=-1'], "--repeat: '-1' is not a positive integer"],
    [['--repeat', '-1'], "--repeat has no value (write a value starting with '-' as --repeat=VALUE)"],
    [['--repeat', '0'], "--repeat: '0' is not a positive integer"],
    [['--workloads', 'block,attention'], "--workloads: 'attention' is not block or core"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('%j: %s', (argv, message) => {
    expect(reason(argv)).toContain(message);
  });
});

function collect() {
  const chunks: string[] = [];
  return { isTTY: false, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

describe('runBench without a GPU run', () => {
  it('--help prints the usage on stdout and exits 0', async () => {
    const [stdout, stderr] = [collect(), collect()];
    expect(await runBench(['--help'], { stdout, stderr })).toBe(0);
    expect(stdout.text()).toMatch(/^usage: node dist\/bench\/run.js/);
    expect(stdout.text()).toContain('--torch FILE');
    expect(stderr.text()).toBe('');
  });

  it('a bad option: one line naming it, a pointer to --help, exit 2, no stack', async () => {
    const [stdout, stderr] = [collect(), collect()];
    expect(await runBench(['--szes', '224'], { stdout, stderr })).toBe(2);
    expect(stderr.text()).toBe("bench: Unknown option '--szes'\n(node dist/bench/run.js --help lists the options)\n");
    expect(stdout.text()).toBe('');
  });

  it('an --out that cannot be created is reported before any GPU work', async () => {
    const [stdout, stderr] = [collect(), collect()];
    expect(await runBench(['--out', 'package.json/results'], { stdout, stderr })).toBe(2);
    expect(stderr.text()).toMatch(/^bench: --out package.json\/results: cannot create it \(E[A-Z]+\)\n/);
  });

  it('a missing or wrong --torch file is reported before any GPU work', async () => {
    const [stdout, stderr] = [collect(), collect()];
    expect(await runBench(['--torch', '/nonexistent/torch.json'], { stdout, stderr })).toBe(2);
    expect(stderr.text()).toBe('bench: --torch /nonexistent/torch.json: no such file\n');
    expect(await runBench(['--torch', 'package.json'], { stdout, stderr })).toBe(2);
    expect(stderr.text()).toContain('no "rows" array');
  });

  it('a missing or malformed --tuning file is reported before any GPU work', async () => {
    const [stdout, stderr] = [collect(), collect()];
    expect(await runBench(['--tuning', '/nonexistent/t.json'], { stdout, stderr })).toBe(2);
    expect(stderr.text()).toBe("bench: --tuning: cannot read tuning file '/nonexistent/t.json': no such file\n(node dist/bench/run.js --help lists the options)\n");
    const [out2, err2] = [collect(), collect()];
    expect(await runBench(['--tuning', 'package.json'], { stdout: out2, stderr: err2 })).toBe(2);
    expect(err2.text()).toMatch(/^bench: --tuning: tuning file 'package.json': expected \{"sagac", "adapter", "entries": \[...\]\}\n/);
  });
});
