// `sagac build GLOB... --out DIR [--no-fuse] [--check] [--watch] [--tuning F] [--dim NAME=SIZE...]`: per block, a TypeScript module
// and its kernels' .wgsl files (codegen/ts). Files are written only when their bytes change;
// --check writes nothing and fails on a stale, missing or extra file; --watch rebuilds on change.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { generateFiles, type GeneratedFile } from '../codegen/ts/index.js';
import { formatDiagnostics } from '../dsl/format.js';
import { checkDimNames, parseDimFlags, readText, readTuningFile, UsageError } from './common.js';

export interface BuildOptions {
  readonly patterns: readonly string[];
  readonly out: string;
  readonly fuse: boolean;
  readonly check: boolean;
  readonly watch: boolean;
  /** A tuning file from `sagac tune`: its kernel parameters go into the generated modules. */
  readonly tuning?: string;
  /** `NAME=SIZE` flags: the sizes plans are made for (each block takes the dims it uses). */
  readonly dims?: readonly string[];
  /** Where messages go (stderr by default; tests capture them). */
  readonly log?: (line: string) => void;
  /** Stops --watch (which otherwise runs until the process ends); build() then resolves 0. */
  readonly signal?: AbortSignal;
}

interface Planned {
  readonly files: readonly GeneratedFile[];
  /** Per-block kernel directories: .wgsl files in them that we did not generate are stale. */
  readonly kernelDirs: ReadonlySet<string>;
  readonly errors: number;
}

/** The directory part of a pattern before its first glob character (`src/**\/*.saga` -> `src`). */
function staticBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (/[*?[\]{}!]/.test(p)) break;
    fixed.push(p);
  }
  return fixed.join('/') || '.';
}

const posix = (p: string) => p.split(sep).join('/');

async function plan(o: BuildOptions, log: (line: string) => void): Promise<Planned> {
  const sources = new Map<string, string>(); // source path -> its directory under --out
  for (const pattern of o.patterns) {
    const base = staticBase(pattern);
    const matches = await glob(pattern, { onlyFiles: true, expandDirectories: false });
    if (matches.length === 0) throw new UsageError(`no .saga files match '${pattern}'`);
    for (const m of matches.sort()) if (!sources.has(m)) sources.set(m, posix(relative(base, dirname(m))));
  }
  const tuning = o.tuning === undefined ? undefined : readTuningFile(o.tuning);
  const dims = parseDimFlags(o.dims ?? []);
  const used = new Set<string>();
  const files: GeneratedFile[] = [];
  const owner = new Map<string, string>();
  let errors = 0;
  for (const [source, dir] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const text = readText(source, '.saga file');
    const r = await generateFiles(text, posix(source), { fuse: o.fuse, dir: dir === '.' ? '' : dir, ...(tuning ? { tuning } : {}), ...(dims.size ? { dims } : {}) });
    for (const s of r.symbols) used.add(s);
    if (r.diagnostics.length > 0) log(formatDiagnostics(r.diagnostics, text));
    if (!r.ok) {
      errors++;
      continue;
    }
    for (const f of r.files) {
      const other = owner.get(f.path);
      if (other !== undefined && other !== source) throw new UsageError(`${source} and ${other} both generate ${f.path}: rename a block or move a file`);
      owner.set(f.path, source);
      files.push(f);
    }
  }
  // A name no block uses is a typo, unless a source with errors (no symbols known) might use it.
  if (errors === 0) checkDimNames(dims, used);
  const kernelDirs = new Set(files.filter((f) => f.path.endsWith('.wgsl')).map((f) => dirname(f.path)));
  return { files, kernelDirs, errors };
}

/** Generated .wgsl files on disk that this build would not produce (a kernel renamed or removed). */
function extraFiles(out: string, p: Planned): string[] {
  const wanted = new Set(p.files.map((f) => f.path));
  const extra: string[] = [];
  for (const dir of p.kernelDirs) {
    const abs = join(out, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) if (name.endsWith('.wgsl') && !wanted.has(`${dir}/${name}`)) extra.push(`${dir}/${name}`);
  }
  return extra;
}

const readIfExists = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/** One build (or check). Returns the exit code: 0, or 1 for source errors or stale files. */
async function buildOnce(o: BuildOptions, log: (line: string) => void): Promise<number> {
  const p = await plan(o, log);
  const stale: string[] = [];
  for (const f of p.files) {
    const now = readIfExists(join(o.out, f.path));
    if (now === f.contents) continue;
    stale.push(`${now === undefined ? 'missing' : 'stale'}: ${join(o.out, f.path)}`);
    if (!o.check) {
      mkdirSync(dirname(join(o.out, f.path)), { recursive: true });
      writeFileSync(join(o.out, f.path), f.contents);
    }
  }
  for (const e of extraFiles(o.out, p)) {
    stale.push(`extra: ${join(o.out, e)}`);
    if (!o.check) rmSync(join(o.out, e));
  }
  if (o.check) {
    for (const s of stale) log(s);
    if (stale.length > 0) log(`sagac build --check: ${stale.length} generated file${stale.length === 1 ? ' is' : 's are'} out of date; run \`sagac build\` without --check`);
  } else {
    // The modules written, not each kernel file: a first build would list a hundred .wgsl files.
    const modules = stale.filter((s) => s.endsWith('.ts')).map((s) => s.replace(/^\w+: /, 'wrote '));
    log(`sagac build: ${p.files.length} files in ${o.out}, ${stale.length} written or removed${modules.length ? `:\n  ${modules.join('\n  ')}` : ''}`);
  }
  if (p.errors > 0) log(`sagac build: ${p.errors} file${p.errors === 1 ? '' : 's'} with errors`);
  return p.errors > 0 || (o.check && stale.length > 0) ? 1 : 0;
}

/**
 * Runs `sagac build`. With --watch it never returns: it rebuilds (debounced) whenever a file under
 * a pattern's base directory changes, printing diagnostics and carrying on after errors.
 * @example
 *   await build({ patterns: ['src/**\/*.saga'], out: 'generated', fuse: true, check: false, watch: false });
 */
export async function build(o: BuildOptions): Promise<number> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (o.patterns.length === 0) throw new UsageError('build needs at least one .saga file or glob, e.g. sagac build "src/**/*.saga" --out generated');
  if (o.check && o.watch) throw new UsageError('--check and --watch do not go together');
  const code = await buildOnce(o, log);
  if (!o.watch) return code;
  const out = resolve(o.out);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const rebuild = (changed: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        log(`sagac build: ${changed} changed, rebuilding`);
        try {
          await buildOnce(o, log);
        } catch (e) {
          log(`sagac build: error: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
    }, 100);
  };
  // One non-recursive watcher per directory: Node 20's recursive mode on Linux watches files one
  // by one and loses a file that an editor replaces (write to a temporary file, rename).
  const watched = new Map<string, FSWatcher>();
  const watchTree = (dir: string) => {
    if (watched.has(dir) || resolve(dir).startsWith(out) || /(^|[\\/])(node_modules|\.git)$/.test(dir)) return;
    watched.set(
      dir,
      watch(dir, (_event, name) => {
        if (name === null) return;
        const changed = join(dir, String(name));
        if (String(name).endsWith('.saga')) rebuild(changed);
        else if (existsSync(changed) && statSync(changed).isDirectory()) {
          watchTree(changed);
          rebuild(changed);
        }
      }),
    );
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) watchTree(join(dir, entry.name));
  };
  for (const base of new Set(o.patterns.map(staticBase))) watchTree(base);
  log(`sagac build: watching ${[...new Set(o.patterns.map(staticBase))].join(', ')} (Ctrl-C stops)`);
  return new Promise<number>((done) => {
    o.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      for (const w of watched.values()) w.close();
      void running.then(() => done(0));
    });
  });
}
