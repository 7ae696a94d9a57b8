// Seeded random tensors (mulberry32), so demos and tests are reproducible run to run.

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [-scale, scale), as f32. */
export function randomTensor(shape: readonly number[], next: () => number, scale = 1) {
  const data = new Float32Array(shape.reduce((p, n) => p * n, 1));
  for (let i = 0; i < data.length; i++) data[i] = (next() * 2 - 1) * scale;
  return { shape: [...shape], data };
}
