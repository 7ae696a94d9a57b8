// A probe, not part of sagac: the projected KV kernel (codegen/wgsl/kv-projected.ts, SAGA's
// outer_mean_s_projected) written out by hand in CUDA with the same tiling — 256 threads, a 64-token
// x 64-column state tile, 4 tokens x 4 columns x 4 weights a thread, 16-deep slabs in shared memory,
// the next slab prefetched into registers — so that Nsight Compute can say what the WGSL kernel
// cannot: registers a thread, occupancy, and why warps stall. Four variants: that mapping and one
// with 8 tokens a thread (128 threads), each with the slab prefetched and loaded after the barrier;
// and the first mapping with the 16-step slab loop left rolled, as the WGSL writes it. Same inputs layout as the plan:
// x [B, N, C], weights [C, C] (heads x d columns), biases [C]; writes S's partials
// [splits, B, heads, d, d] and z's [splits, B, heads, d] (sums, not means).
//   nvcc -O3 -arch=sm_90 -o kvp bench/cuda/kv_projected.cu
//   ./kvp B N C HEADS SPLITS            e.g. ./kvp 8 1600 512 8 16 (PVT-T stage 4, 1280², batch 8)
//   ncu --section LaunchStats --section Occupancy --section WarpStateStats -k regex:kvproj ./kvp ...
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cuda_runtime.h>

#define CHECK(x)                                                                 \
  do {                                                                           \
    cudaError_t e = (x);                                                         \
    if (e != cudaSuccess) {                                                      \
      fprintf(stderr, "%s:%d %s\n", __FILE__, __LINE__, cudaGetErrorString(e)); \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

constexpr int TOKENS = 64, SLAB = 16, XROW = TOKENS / 4 + 1, W0 = SLAB * XROW;

__device__ __forceinline__ float sigmoid(float x) {
  float e = expf(-fabsf(x));
  float r = 1.0f / (1.0f + e);
  return x >= 0.0f ? r : e * r;
}
__device__ __forceinline__ float4 fma4(float a, float4 b, float4 c) {
  return make_float4(fmaf(a, b.x, c.x), fmaf(a, b.y, c.y), fmaf(a, b.z, c.z), fmaf(a, b.w, c.w));
}
__device__ __forceinline__ float lane(float4 v, int i) { return i == 0 ? v.x : i == 1 ? v.y : i == 2 ? v.z : v.w; }

template <bool PREFETCH, int TPT, int UNROLL = SLAB>
__global__ void __launch_bounds__(16 * (64 / TPT)) kvproj(const float* __restrict__ x, const float* __restrict__ w_k, const float* __restrict__ w_a,
                                                        const float* __restrict__ w_v, const float* __restrict__ w_b, const float* __restrict__ b_a,
                                                        const float* __restrict__ b_b, float* __restrict__ s_part, float* __restrict__ z_part, int B, int N,
                                                        int C, int heads, int S) {
  // TPT tokens (and state rows) a thread: 4 is the WGSL kernel's mapping (256 threads), 8 the
  // larger register block (128 threads, half the shared-memory reads per multiply-add).
  constexpr int THREADS = 16 * (64 / TPT), V = TPT / 4, WROWS = THREADS / 16;
  __shared__ float4 sh[2 * TOKENS * 64 / 4];
  const int lidx = threadIdx.x, lx = lidx % 16, ly = lidx / 16;
  const int d = C / heads, lead = B * heads;
  const int kv_b = blockIdx.y % lead, split = blockIdx.y / lead, head = kv_b % heads;
  const float* xb = x + (size_t)(kv_b / heads) * N * C;
  const float* w[4] = {w_k, w_a, w_v, w_b};
  const int c0 = head * d;
  const int span = ((N + S * TOKENS - 1) / (S * TOKENS)) * TOKENS;
  const int tbegin = split * span, tend = min(N, tbegin + span);
  const int xk = lidx % 16, wk = lidx / 16, wc = (lidx % 16) * 4;
  float4 s[TPT], z[V], rx[V], rw[4][16 / WROWS];
  for (int r = 0; r < TPT; r++) s[r] = make_float4(0, 0, 0, 0);
  for (int j = 0; j < V; j++) z[j] = make_float4(0, 0, 0, 0);
  for (int t0 = tbegin; t0 < tend; t0 += TOKENS) {
    float4 acc[4][TPT];
    for (int p = 0; p < 4; p++)
      for (int r = 0; r < TPT; r++) acc[p][r] = make_float4(0, 0, 0, 0);
    const int xt = t0 + ly * TPT;
    auto load = [&](int k0) {
      for (int j = 0; j < V; j++) {
        float v[4];
        for (int r = 0; r < 4; r++) v[r] = xt + 4 * j + r < tend ? xb[(size_t)(xt + 4 * j + r) * C + k0 + xk] : 0.0f;
        rx[j] = make_float4(v[0], v[1], v[2], v[3]);
      }
      for (int p = 0; p < 4; p++)
        for (int j = 0; j < 16 / WROWS; j++) {
          const float* row = w[p] + (size_t)(k0 + wk + WROWS * j) * C + c0 + wc;
          rw[p][j] = make_float4(row[0], row[1], row[2], row[3]);
        }
    };
    if (PREFETCH) load(0);
    for (int k0 = 0; k0 < C; k0 += SLAB) {
      if (!PREFETCH) load(k0);
      for (int j = 0; j < V; j++) sh[xk * XROW + ly * V + j] = rx[j];
      for (int p = 0; p < 4; p++)
        for (int j = 0; j < 16 / WROWS; j++) sh[W0 + p * 256 + WROWS * 16 * j + lidx] = rw[p][j];
      __syncthreads();
      if (PREFETCH && k0 + SLAB < C) load(k0 + SLAB);
#pragma unroll UNROLL
      for (int kp = 0; kp < SLAB; kp++) {
        float4 va[V];
        for (int j = 0; j < V; j++) va[j] = sh[kp * XROW + ly * V + j];
        for (int p = 0; p < 4; p++) {
          float4 wv = sh[W0 + p * 256 + kp * 16 + lx];
          for (int r = 0; r < TPT; r++) acc[p][r] = fma4(lane(va[r / 4], r % 4), wv, acc[p][r]);
        }
      }
      __syncthreads();
    }
    // a = sigmoid(x w_a + b_a) relu(x w_k), b = sigmoid(x w_b + b_b) (x w_v): token rows of float4s.
    for (int r = 0; r < TPT; r++) {
      float av[4], bv[4];
      const bool in = t0 + ly * TPT + r < tend;
      for (int c = 0; c < 4; c++) {
        const int ch = c0 + lx * 4 + c;
        av[c] = in ? sigmoid(lane(acc[1][r], c) + b_a[ch]) * fmaxf(lane(acc[0][r], c), 0.0f) : 0.0f;
        bv[c] = in ? sigmoid(lane(acc[3][r], c) + b_b[ch]) * lane(acc[2][r], c) : 0.0f;
      }
      sh[(ly * TPT + r) * 16 + lx] = make_float4(av[0], av[1], av[2], av[3]);
      sh[1024 + (ly * TPT + r) * 16 + lx] = make_float4(bv[0], bv[1], bv[2], bv[3]);
    }
    __syncthreads();
    for (int u = 0; u < TOKENS; u++) {
      const float4 v = sh[1024 + u * 16 + lx];
      for (int j = 0; j < V; j++) {
        const float4 a = sh[u * 16 + ly * V + j];
        for (int r = 0; r < 4; r++) s[4 * j + r] = fma4(lane(a, r), v, s[4 * j + r]);
        z[j] = make_float4(z[j].x + a.x, z[j].y + a.y, z[j].z + a.z, z[j].w + a.w);
      }
    }
    __syncthreads();
  }
  for (int r = 0; r < TPT; r++) {
    const int row = ly * TPT + r;
    float* out = s_part + ((size_t)(split * lead + kv_b) * d + row) * d + lx * 4;
    out[0] = s[r].x, out[1] = s[r].y, out[2] = s[r].z, out[3] = s[r].w;
    if (lx == 0) z_part[(size_t)(split * lead + kv_b) * d + row] = lane(z[r / 4], r % 4);
  }
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: kvp B N C HEADS SPLITS\n");
    return 2;
  }
  const int B = atoi(argv[1]), N = atoi(argv[2]), C = atoi(argv[3]), H = atoi(argv[4]), S = atoi(argv[5]);
  const int d = C / H;
  if (d != 64 || C % 16 || N % 4) {
    fprintf(stderr, "the probe takes d = C / HEADS = 64, C a multiple of 16, N a multiple of 4\n");
    return 2;
  }
  std::vector<float> hx((size_t)B * N * C), hw[4], hb[2];
  srand(1);
  auto rnd = [] { return 2.0f * rand() / RAND_MAX - 1.0f; };
  for (auto& v : hx) v = rnd();
  for (auto& w : hw) {
    w.resize((size_t)C * C);
    for (auto& v : w) v = rnd() / sqrtf((float)C);
  }
  for (auto& b : hb) {
    b.resize(C);
    for (auto& v : b) v = 0.5f * rnd();
  }
  float *x, *w[4], *b[2], *sp, *zp;
  CHECK(cudaMalloc(&x, hx.size() * 4));
  CHECK(cudaMemcpy(x, hx.data(), hx.size() * 4, cudaMemcpyHostToDevice));
  for (int p = 0; p < 4; p++) {
    CHECK(cudaMalloc(&w[p], hw[p].size() * 4));
    CHECK(cudaMemcpy(w[p], hw[p].data(), hw[p].size() * 4, cudaMemcpyHostToDevice));
  }
  for (int p = 0; p < 2; p++) {
    CHECK(cudaMalloc(&b[p], C * 4));
    CHECK(cudaMemcpy(b[p], hb[p].data(), C * 4, cudaMemcpyHostToDevice));
  }
  const size_t sN = (size_t)S * B * H * d * d, zN = (size_t)S * B * H * d;
  CHECK(cudaMalloc(&sp, sN * 4));
  CHECK(cudaMalloc(&zp, zN * 4));
  const dim3 grid(1, S * B * H);
  const double flops = 8.0 * B * N * C * C + 2.0 * B * N * C * d;
  std::vector<float> hs(sN);
  // S of batch 0, head 0, row 0 in float64.
  std::vector<double> want(d, 0.0);
  for (int t = 0; t < N; t++) {
    double xk = 0, xa = 0;
    for (int c = 0; c < C; c++) xk += (double)hx[(size_t)t * C + c] * hw[0][(size_t)c * C], xa += (double)hx[(size_t)t * C + c] * hw[1][(size_t)c * C];
    const double a = 1 / (1 + exp(-(xa + hb[0][0]))) * fmax(xk, 0);
    for (int col = 0; col < d; col++) {
      double xv = 0, xb = 0;
      for (int c = 0; c < C; c++) xv += (double)hx[(size_t)t * C + c] * hw[2][(size_t)c * C + col], xb += (double)hx[(size_t)t * C + c] * hw[3][(size_t)c * C + col];
      want[col] += a / (1 + exp(-(xb + hb[1][col]))) * xv;
    }
  }
  const char* names[] = {"4 tokens, prefetch", "4 tokens, simple", "8 tokens, prefetch", "8 tokens, simple", "4 tokens, prefetch, slab loop kept", "4 tokens, simple, slab loop kept"};
  for (int variant = 0; variant < 6; variant++) {
    auto launch = [&] {
      switch (variant) {
        case 0: kvproj<true, 4><<<grid, 256>>>(x, w[0], w[1], w[2], w[3], b[0], b[1], sp, zp, B, N, C, H, S); break;
        case 1: kvproj<false, 4><<<grid, 256>>>(x, w[0], w[1], w[2], w[3], b[0], b[1], sp, zp, B, N, C, H, S); break;
        case 2: kvproj<true, 8><<<grid, 128>>>(x, w[0], w[1], w[2], w[3], b[0], b[1], sp, zp, B, N, C, H, S); break;
        case 3: kvproj<false, 8><<<grid, 128>>>(x, w[0], w[1], w[2], w[3], b[0], b[1], sp, zp, B, N, C, H, S); break;
        case 4: kvproj<true, 4, 1><<<grid, 256>>>(x, w[0], w[1], w[2], w[3], b[0], b[1], sp, zp, B, N, C, H, S); break;
        default: kvproj<false, 4, 1><<<grid, 256>>>(x, w[0], w[1], w[2], w[3], b[0], b[1], sp, zp, B, N, C, H, S);
      }
    };
    CHECK(cudaMemset(sp, 0, sN * 4));
    for (int i = 0; i < 5; i++) launch();
    CHECK(cudaDeviceSynchronize());
    cudaEvent_t e0, e1;
    cudaEventCreate(&e0), cudaEventCreate(&e1);
    const int reps = 20;
    cudaEventRecord(e0);
    for (int i = 0; i < reps; i++) launch();
    cudaEventRecord(e1);
    CHECK(cudaEventSynchronize(e1));
    float ms;
    cudaEventElapsedTime(&ms, e0, e1);
    ms /= reps;
    CHECK(cudaMemcpy(hs.data(), sp, sN * 4, cudaMemcpyDeviceToHost));
    // S of batch 0, head 0, row 0 (summed over the ranges) against a float64 loop on the CPU.
    double worst = 0, scale = 0;
    for (int col = 0; col < d; col++) {
      double got = 0;
      for (int r = 0; r < S; r++) got += hs[(size_t)r * B * H * d * d + col];
      worst = fmax(worst, fabs(got - want[col])), scale = fmax(scale, fabs(want[col]));
    }
    printf("%s: %.4f ms, %.1f TFLOP/s, S[0,0,0,:] max |error| / max |S| %.2e\n", names[variant], ms, flops / ms / 1e9, worst / scale);
  }
  return 0;
}
