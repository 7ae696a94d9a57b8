// Causal scans run chunkwise in parallel on the GPU: the build gives the recurrent form (the
// definition, token by token); this pass picks the chunked kernel (codegen/wgsl/scan.ts).
//   before:  %12 = scan q=%4, k=%7, v=%9, decay=%11, chunk=64 (recurrent)
//   after:   %12 = scan q=%4, k=%7, v=%9, decay=%11, chunk=64 (chunked)
import type { Pass, Rewrite } from './pass.js';

export const chunkScan: Pass = {
  name: 'chunk-scan',
  summary: 'run causal scans chunkwise in parallel instead of token by token',
  run(graph) {
    const rewrites: Rewrite[] = [];
    const nodes = graph.nodes.map((n) => {
      if (n.op !== 'scan' || n.form === 'chunked') return n;
      rewrites.push({ pass: 'chunk-scan', span: n.span, message: `scan${n.name ? ` (${n.name})` : ''} runs in chunks of ${n.chunk} tokens` });
      return { ...n, form: 'chunked' as const };
    });
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
