// Removes values no output depends on (inputs and params stay: they are the block's interface).
//   before:  %5 = outer %1, %2   (no longer read after hadamard-decompose)
//   after:   (gone)
import { prune } from '../prune.js';
import type { Pass } from './pass.js';

export const deadCode: Pass = {
  name: 'dead-code',
  summary: 'drop values no output depends on',
  run(graph) {
    const pruned = prune(graph);
    return { graph: pruned, rewrites: [], diagnostics: [] };
  },
};
