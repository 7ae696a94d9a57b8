// ===== outer_mean_s_projected =====
// %27 = outer_mean %25, %26 : [B, 2, d, d]   (saga.saga:26:11 let s)
// %28 = mean %25, axis=2, keep : [B, 2, 1, d]   (saga.saga:27:11 let z)
// %12 = matmul %0, %2 : [B, N, C]   (saga.saga:21:28)
// %17 = matmul %0, %4 : [B, N, C]   (saga.saga:23:31)
// %15 = matmul %0, %3 : [B, N, C]   (saga.saga:22:23)
// %21 = matmul %0, %6 : [B, N, C]   (saga.saga:24:31)
// %25 = mul %20, %14 : [B, 2, N, d]   (saga.saga:26:11)
// %26 = mul %24, %16 : [B, 2, N, d]   (saga.saga:26:11)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_k: array<f32>;
@group(0) @binding(2) var<storage, read> w_a: array<f32>;
@group(0) @binding(3) var<storage, read> w_v: array<f32>;
@group(0) @binding(4) var<storage, read> w_b: array<f32>;
@group(0) @binding(5) var<storage, read> b_a: array<f32>;
@group(0) @binding(6) var<storage, read> b_b: array<f32>;
@group(0) @binding(7) var<storage, read_write> s_partial: array<f32>;
@group(0) @binding(8) var<storage, read_write> z_partial: array<f32>;
@group(0) @binding(9) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> sh: array<vec4<f32>, 2048>;

fn saga_sigmoid(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

// from saga.saga:15:3 (b_a)
fn ld_b_a_buf(c0: u32) -> f32 {
  return b_a[c0];
}

// from saga.saga:23:31
fn ep_t18(c0: u32, c1: u32, c2: u32, acc0: f32, acc1: f32) -> f32 {
  let lhs = acc1;
  let rhs = ld_b_a_buf(c2);
  return lhs + rhs;
}

// from saga.saga:23:19
fn ep_t19(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  return ep_t18(c0, c2, c1 * u[0].z + c3, acc0, acc1);
}

// from saga.saga:23:11 (a)
fn ep_a(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  let arg = ep_t19(c0, c1, c2, c3, acc0, acc1);
  return saga_sigmoid(arg);
}

// from saga.saga:21:16
fn ep_t13(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  return acc0;
}

// from saga.saga:21:11 (k)
fn ep_k(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  let arg = ep_t13(c0, c1, c2, c3, acc0, acc1);
  return select(0.0, arg, arg > 0.0);
}

// from saga.saga:26:11
fn ep_t25(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  let lhs = ep_a(c0, c1, c2, c3, acc0, acc1);
  let rhs = ep_k(c0, c1, c2, c3, acc0, acc1);
  return lhs * rhs;
}

// from saga.saga:17:3 (b_b)
fn ld_b_b_buf(c0: u32) -> f32 {
  return b_b[c0];
}

// from saga.saga:24:31
fn ep_t22(c0: u32, c1: u32, c2: u32, acc0: f32, acc1: f32) -> f32 {
  let lhs = acc1;
  let rhs = ld_b_b_buf(c2);
  return lhs + rhs;
}

// from saga.saga:24:19
fn ep_t23(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  return ep_t22(c0, c2, c1 * u[0].z + c3, acc0, acc1);
}

// from saga.saga:24:11 (b)
fn ep_b(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  let arg = ep_t23(c0, c1, c2, c3, acc0, acc1);
  return saga_sigmoid(arg);
}

// from saga.saga:22:11 (v)
fn ep_v(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  return acc0;
}

// from saga.saga:26:11
fn ep_t26(c0: u32, c1: u32, c2: u32, c3: u32, acc0: f32, acc1: f32) -> f32 {
  let lhs = ep_b(c0, c1, c2, c3, acc0, acc1);
  let rhs = ep_v(c0, c1, c2, c3, acc0, acc1);
  return lhs * rhs;
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let kv_itiles = (u[0].z + 63u) / 64u;
  let kv_t = wid.z * nwg.y + wid.y;
  if (kv_t >= kv_itiles * u[0].w * 32u) { return; }
  let kv_i0 = (kv_t % kv_itiles) * 64u;
  let kv_sb = kv_t / kv_itiles;
  let kv_b = kv_sb % u[0].w;
  let kv_split = kv_sb / u[0].w;
  let kv_j0 = wid.x * 64u;
  var r = kv_b;
  let i1 = r % 2u;
  r = r / 2u;
  let i0 = r;
  let kv_x = (kv_b / 2u) * u[0].x * u[0].y;
  let kv_ca = i1 * u[0].z + kv_i0;
  let kv_cb = i1 * u[0].z + kv_j0;
  let kv_span = ((u[0].x + 2047u) / 2048u) * 64u;
  let kv_tbegin = kv_split * kv_span;
  let kv_tend = min(u[0].x, kv_tbegin + kv_span);
  var kv_s0 = vec4<f32>(0.0);
  var kv_s1 = vec4<f32>(0.0);
  var kv_s2 = vec4<f32>(0.0);
  var kv_s3 = vec4<f32>(0.0);
  var kv_z = vec4<f32>(0.0);
  let kv_xk = lidx % 16u;
  let kv_wk = lidx / 16u;
  let kv_wc = (lidx % 16u) * 4u;
  var kv_rx = vec4<f32>(0.0);
  var kv_rw0 = vec4<f32>(0.0);
  var kv_rw1 = vec4<f32>(0.0);
  var kv_rw2 = vec4<f32>(0.0);
  var kv_rw3 = vec4<f32>(0.0);
  for (var kv_t0 = kv_tbegin; kv_t0 < kv_tend; kv_t0 = kv_t0 + 64u) {
    var kv_acc0_0 = vec4<f32>(0.0);
    var kv_acc0_1 = vec4<f32>(0.0);
    var kv_acc0_2 = vec4<f32>(0.0);
    var kv_acc0_3 = vec4<f32>(0.0);
    var kv_acc1_0 = vec4<f32>(0.0);
    var kv_acc1_1 = vec4<f32>(0.0);
    var kv_acc1_2 = vec4<f32>(0.0);
    var kv_acc1_3 = vec4<f32>(0.0);
    var kv_acc2_0 = vec4<f32>(0.0);
    var kv_acc2_1 = vec4<f32>(0.0);
    var kv_acc2_2 = vec4<f32>(0.0);
    var kv_acc2_3 = vec4<f32>(0.0);
    var kv_acc3_0 = vec4<f32>(0.0);
    var kv_acc3_1 = vec4<f32>(0.0);
    var kv_acc3_2 = vec4<f32>(0.0);
    var kv_acc3_3 = vec4<f32>(0.0);
    let kv_xt = kv_t0 + (lidx / 16u) * 4u;
    let kv_inner = kv_t0 + 64u <= kv_tend && kv_i0 + 64u <= u[0].z && kv_j0 + 64u <= u[0].z;
    if (kv_inner && 0u + 16u <= u[0].y) {
      kv_rx = vec4<f32>(x[kv_x + (kv_xt + 0u) * u[0].y + 0u + kv_xk], x[kv_x + (kv_xt + 1u) * u[0].y + 0u + kv_xk], x[kv_x + (kv_xt + 2u) * u[0].y + 0u + kv_xk], x[kv_x + (kv_xt + 3u) * u[0].y + 0u + kv_xk]);
      kv_rw0 = vec4<f32>(w_k[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 0u], w_k[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 1u], w_k[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 2u], w_k[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 3u]);
      kv_rw1 = vec4<f32>(w_a[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 0u], w_a[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 1u], w_a[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 2u], w_a[(0u + kv_wk) * u[0].y + kv_ca + kv_wc + 3u]);
      kv_rw2 = vec4<f32>(w_v[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 0u], w_v[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 1u], w_v[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 2u], w_v[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 3u]);
      kv_rw3 = vec4<f32>(w_b[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 0u], w_b[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 1u], w_b[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 2u], w_b[(0u + kv_wk) * u[0].y + kv_cb + kv_wc + 3u]);
    } else {
      let kv_kx = 0u + kv_xk;
      kv_rx = vec4<f32>(select(0.0, x[kv_x + min(kv_xt + 0u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 0u < kv_tend && kv_kx < u[0].y), select(0.0, x[kv_x + min(kv_xt + 1u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 1u < kv_tend && kv_kx < u[0].y), select(0.0, x[kv_x + min(kv_xt + 2u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 2u < kv_tend && kv_kx < u[0].y), select(0.0, x[kv_x + min(kv_xt + 3u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 3u < kv_tend && kv_kx < u[0].y));
      let kv_kw = 0u + kv_wk;
      kv_rw0 = vec4<f32>(select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 0u < u[0].z), select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 1u < u[0].z), select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 2u < u[0].z), select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 3u < u[0].z));
      kv_rw1 = vec4<f32>(select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 0u < u[0].z), select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 1u < u[0].z), select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 2u < u[0].z), select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 3u < u[0].z));
      kv_rw2 = vec4<f32>(select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 0u < u[0].z), select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 1u < u[0].z), select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 2u < u[0].z), select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 3u < u[0].z));
      kv_rw3 = vec4<f32>(select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 0u < u[0].z), select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 1u < u[0].z), select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 2u < u[0].z), select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 3u < u[0].z));
    }
    for (var kv_k0 = 0u; kv_k0 < u[0].y; kv_k0 = kv_k0 + 16u) {
      sh[kv_xk * 17u + lidx / 16u] = kv_rx;
      sh[272u + lidx] = kv_rw0;
      sh[528u + lidx] = kv_rw1;
      sh[784u + lidx] = kv_rw2;
      sh[1040u + lidx] = kv_rw3;
      workgroupBarrier();
      if (kv_k0 + 16u < u[0].y) {
        if (kv_inner && kv_k0 + 16u + 16u <= u[0].y) {
          kv_rx = vec4<f32>(x[kv_x + (kv_xt + 0u) * u[0].y + kv_k0 + 16u + kv_xk], x[kv_x + (kv_xt + 1u) * u[0].y + kv_k0 + 16u + kv_xk], x[kv_x + (kv_xt + 2u) * u[0].y + kv_k0 + 16u + kv_xk], x[kv_x + (kv_xt + 3u) * u[0].y + kv_k0 + 16u + kv_xk]);
          kv_rw0 = vec4<f32>(w_k[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 0u], w_k[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 1u], w_k[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 2u], w_k[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 3u]);
          kv_rw1 = vec4<f32>(w_a[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 0u], w_a[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 1u], w_a[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 2u], w_a[(kv_k0 + 16u + kv_wk) * u[0].y + kv_ca + kv_wc + 3u]);
          kv_rw2 = vec4<f32>(w_v[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 0u], w_v[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 1u], w_v[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 2u], w_v[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 3u]);
          kv_rw3 = vec4<f32>(w_b[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 0u], w_b[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 1u], w_b[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 2u], w_b[(kv_k0 + 16u + kv_wk) * u[0].y + kv_cb + kv_wc + 3u]);
        } else {
          let kv_kx = kv_k0 + 16u + kv_xk;
          kv_rx = vec4<f32>(select(0.0, x[kv_x + min(kv_xt + 0u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 0u < kv_tend && kv_kx < u[0].y), select(0.0, x[kv_x + min(kv_xt + 1u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 1u < kv_tend && kv_kx < u[0].y), select(0.0, x[kv_x + min(kv_xt + 2u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 2u < kv_tend && kv_kx < u[0].y), select(0.0, x[kv_x + min(kv_xt + 3u, u[0].x - 1u) * u[0].y + min(kv_kx, u[0].y - 1u)], kv_xt + 3u < kv_tend && kv_kx < u[0].y));
          let kv_kw = kv_k0 + 16u + kv_wk;
          kv_rw0 = vec4<f32>(select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 0u < u[0].z), select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 1u < u[0].z), select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 2u < u[0].z), select(0.0, w_k[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 3u < u[0].z));
          kv_rw1 = vec4<f32>(select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 0u < u[0].z), select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 1u < u[0].z), select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 2u < u[0].z), select(0.0, w_a[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_ca + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_i0 + kv_wc + 3u < u[0].z));
          kv_rw2 = vec4<f32>(select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 0u < u[0].z), select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 1u < u[0].z), select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 2u < u[0].z), select(0.0, w_v[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 3u < u[0].z));
          kv_rw3 = vec4<f32>(select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 0u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 0u < u[0].z), select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 1u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 1u < u[0].z), select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 2u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 2u < u[0].z), select(0.0, w_b[min(kv_kw, u[0].y - 1u) * u[0].y + min(kv_cb + kv_wc + 3u, u[0].y - 1u)], kv_kw < u[0].y && kv_j0 + kv_wc + 3u < u[0].z));
        }
      }
      {
        let kv_va = sh[0u + lid.y];
        let kv_w0 = sh[272u + lid.x];
        let kv_w1 = sh[528u + lid.x];
        let kv_w2 = sh[784u + lid.x];
        let kv_w3 = sh[1040u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[17u + lid.y];
        let kv_w0 = sh[288u + lid.x];
        let kv_w1 = sh[544u + lid.x];
        let kv_w2 = sh[800u + lid.x];
        let kv_w3 = sh[1056u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[34u + lid.y];
        let kv_w0 = sh[304u + lid.x];
        let kv_w1 = sh[560u + lid.x];
        let kv_w2 = sh[816u + lid.x];
        let kv_w3 = sh[1072u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[51u + lid.y];
        let kv_w0 = sh[320u + lid.x];
        let kv_w1 = sh[576u + lid.x];
        let kv_w2 = sh[832u + lid.x];
        let kv_w3 = sh[1088u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[68u + lid.y];
        let kv_w0 = sh[336u + lid.x];
        let kv_w1 = sh[592u + lid.x];
        let kv_w2 = sh[848u + lid.x];
        let kv_w3 = sh[1104u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[85u + lid.y];
        let kv_w0 = sh[352u + lid.x];
        let kv_w1 = sh[608u + lid.x];
        let kv_w2 = sh[864u + lid.x];
        let kv_w3 = sh[1120u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[102u + lid.y];
        let kv_w0 = sh[368u + lid.x];
        let kv_w1 = sh[624u + lid.x];
        let kv_w2 = sh[880u + lid.x];
        let kv_w3 = sh[1136u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[119u + lid.y];
        let kv_w0 = sh[384u + lid.x];
        let kv_w1 = sh[640u + lid.x];
        let kv_w2 = sh[896u + lid.x];
        let kv_w3 = sh[1152u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[136u + lid.y];
        let kv_w0 = sh[400u + lid.x];
        let kv_w1 = sh[656u + lid.x];
        let kv_w2 = sh[912u + lid.x];
        let kv_w3 = sh[1168u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[153u + lid.y];
        let kv_w0 = sh[416u + lid.x];
        let kv_w1 = sh[672u + lid.x];
        let kv_w2 = sh[928u + lid.x];
        let kv_w3 = sh[1184u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[170u + lid.y];
        let kv_w0 = sh[432u + lid.x];
        let kv_w1 = sh[688u + lid.x];
        let kv_w2 = sh[944u + lid.x];
        let kv_w3 = sh[1200u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[187u + lid.y];
        let kv_w0 = sh[448u + lid.x];
        let kv_w1 = sh[704u + lid.x];
        let kv_w2 = sh[960u + lid.x];
        let kv_w3 = sh[1216u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[204u + lid.y];
        let kv_w0 = sh[464u + lid.x];
        let kv_w1 = sh[720u + lid.x];
        let kv_w2 = sh[976u + lid.x];
        let kv_w3 = sh[1232u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[221u + lid.y];
        let kv_w0 = sh[480u + lid.x];
        let kv_w1 = sh[736u + lid.x];
        let kv_w2 = sh[992u + lid.x];
        let kv_w3 = sh[1248u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[238u + lid.y];
        let kv_w0 = sh[496u + lid.x];
        let kv_w1 = sh[752u + lid.x];
        let kv_w2 = sh[1008u + lid.x];
        let kv_w3 = sh[1264u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      {
        let kv_va = sh[255u + lid.y];
        let kv_w0 = sh[512u + lid.x];
        let kv_w1 = sh[768u + lid.x];
        let kv_w2 = sh[1024u + lid.x];
        let kv_w3 = sh[1280u + lid.x];
        kv_acc0_0 = fma(vec4<f32>(kv_va.x), kv_w0, kv_acc0_0);
        kv_acc0_1 = fma(vec4<f32>(kv_va.y), kv_w0, kv_acc0_1);
        kv_acc0_2 = fma(vec4<f32>(kv_va.z), kv_w0, kv_acc0_2);
        kv_acc0_3 = fma(vec4<f32>(kv_va.w), kv_w0, kv_acc0_3);
        kv_acc1_0 = fma(vec4<f32>(kv_va.x), kv_w1, kv_acc1_0);
        kv_acc1_1 = fma(vec4<f32>(kv_va.y), kv_w1, kv_acc1_1);
        kv_acc1_2 = fma(vec4<f32>(kv_va.z), kv_w1, kv_acc1_2);
        kv_acc1_3 = fma(vec4<f32>(kv_va.w), kv_w1, kv_acc1_3);
        kv_acc2_0 = fma(vec4<f32>(kv_va.x), kv_w2, kv_acc2_0);
        kv_acc2_1 = fma(vec4<f32>(kv_va.y), kv_w2, kv_acc2_1);
        kv_acc2_2 = fma(vec4<f32>(kv_va.z), kv_w2, kv_acc2_2);
        kv_acc2_3 = fma(vec4<f32>(kv_va.w), kv_w2, kv_acc2_3);
        kv_acc3_0 = fma(vec4<f32>(kv_va.x), kv_w3, kv_acc3_0);
        kv_acc3_1 = fma(vec4<f32>(kv_va.y), kv_w3, kv_acc3_1);
        kv_acc3_2 = fma(vec4<f32>(kv_va.z), kv_w3, kv_acc3_2);
        kv_acc3_3 = fma(vec4<f32>(kv_va.w), kv_w3, kv_acc3_3);
      }
      workgroupBarrier();
    }
    sh[0u + (lid.y * 4u + 0u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc0_0.x, kv_acc1_0.x), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_i0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc0_0.y, kv_acc1_0.y), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_i0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc0_0.z, kv_acc1_0.z), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_i0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc0_0.w, kv_acc1_0.w), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_i0 + lid.x * 4u + 3u < u[0].z));
    sh[0u + (lid.y * 4u + 1u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc0_1.x, kv_acc1_1.x), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_i0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc0_1.y, kv_acc1_1.y), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_i0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc0_1.z, kv_acc1_1.z), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_i0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc0_1.w, kv_acc1_1.w), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_i0 + lid.x * 4u + 3u < u[0].z));
    sh[0u + (lid.y * 4u + 2u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc0_2.x, kv_acc1_2.x), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_i0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc0_2.y, kv_acc1_2.y), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_i0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc0_2.z, kv_acc1_2.z), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_i0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc0_2.w, kv_acc1_2.w), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_i0 + lid.x * 4u + 3u < u[0].z));
    sh[0u + (lid.y * 4u + 3u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc0_3.x, kv_acc1_3.x), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_i0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc0_3.y, kv_acc1_3.y), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_i0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc0_3.z, kv_acc1_3.z), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_i0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t25(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_i0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc0_3.w, kv_acc1_3.w), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_i0 + lid.x * 4u + 3u < u[0].z));
    sh[1024u + (lid.y * 4u + 0u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc2_0.x, kv_acc3_0.x), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_j0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc2_0.y, kv_acc3_0.y), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_j0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc2_0.z, kv_acc3_0.z), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_j0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 0u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc2_0.w, kv_acc3_0.w), kv_t0 + lid.y * 4u + 0u < kv_tend && kv_j0 + lid.x * 4u + 3u < u[0].z));
    sh[1024u + (lid.y * 4u + 1u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc2_1.x, kv_acc3_1.x), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_j0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc2_1.y, kv_acc3_1.y), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_j0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc2_1.z, kv_acc3_1.z), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_j0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 1u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc2_1.w, kv_acc3_1.w), kv_t0 + lid.y * 4u + 1u < kv_tend && kv_j0 + lid.x * 4u + 3u < u[0].z));
    sh[1024u + (lid.y * 4u + 2u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc2_2.x, kv_acc3_2.x), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_j0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc2_2.y, kv_acc3_2.y), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_j0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc2_2.z, kv_acc3_2.z), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_j0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 2u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc2_2.w, kv_acc3_2.w), kv_t0 + lid.y * 4u + 2u < kv_tend && kv_j0 + lid.x * 4u + 3u < u[0].z));
    sh[1024u + (lid.y * 4u + 3u) * 16u + lid.x] = vec4<f32>(select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 0u, u[0].z - 1u), kv_acc2_3.x, kv_acc3_3.x), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_j0 + lid.x * 4u + 0u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 1u, u[0].z - 1u), kv_acc2_3.y, kv_acc3_3.y), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_j0 + lid.x * 4u + 1u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 2u, u[0].z - 1u), kv_acc2_3.z, kv_acc3_3.z), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_j0 + lid.x * 4u + 2u < u[0].z), select(0.0, ep_t26(i0, i1, min(kv_t0 + lid.y * 4u + 3u, u[0].x - 1u), min(kv_j0 + lid.x * 4u + 3u, u[0].z - 1u), kv_acc2_3.w, kv_acc3_3.w), kv_t0 + lid.y * 4u + 3u < kv_tend && kv_j0 + lid.x * 4u + 3u < u[0].z));
    workgroupBarrier();
    for (var kv_u = 0u; kv_u < 64u; kv_u = kv_u + 1u) {
      let kv_a = sh[kv_u * 16u + lid.y];
      let kv_v = sh[1024u + kv_u * 16u + lid.x];
      kv_s0 = kv_s0 + kv_a.x * kv_v;
      kv_s1 = kv_s1 + kv_a.y * kv_v;
      kv_s2 = kv_s2 + kv_a.z * kv_v;
      kv_s3 = kv_s3 + kv_a.w * kv_v;
      kv_z = kv_z + kv_a;
    }
    workgroupBarrier();
  }
  let kv_row0 = kv_i0 + lid.y * 4u + 0u;
  if (kv_row0 < u[0].z && kv_j0 + lid.x * 4u + 0u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row0) * u[0].z + kv_j0 + lid.x * 4u + 0u] = kv_s0.x; }
  if (kv_row0 < u[0].z && kv_j0 + lid.x * 4u + 1u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row0) * u[0].z + kv_j0 + lid.x * 4u + 1u] = kv_s0.y; }
  if (kv_row0 < u[0].z && kv_j0 + lid.x * 4u + 2u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row0) * u[0].z + kv_j0 + lid.x * 4u + 2u] = kv_s0.z; }
  if (kv_row0 < u[0].z && kv_j0 + lid.x * 4u + 3u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row0) * u[0].z + kv_j0 + lid.x * 4u + 3u] = kv_s0.w; }
  let kv_row1 = kv_i0 + lid.y * 4u + 1u;
  if (kv_row1 < u[0].z && kv_j0 + lid.x * 4u + 0u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row1) * u[0].z + kv_j0 + lid.x * 4u + 0u] = kv_s1.x; }
  if (kv_row1 < u[0].z && kv_j0 + lid.x * 4u + 1u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row1) * u[0].z + kv_j0 + lid.x * 4u + 1u] = kv_s1.y; }
  if (kv_row1 < u[0].z && kv_j0 + lid.x * 4u + 2u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row1) * u[0].z + kv_j0 + lid.x * 4u + 2u] = kv_s1.z; }
  if (kv_row1 < u[0].z && kv_j0 + lid.x * 4u + 3u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row1) * u[0].z + kv_j0 + lid.x * 4u + 3u] = kv_s1.w; }
  let kv_row2 = kv_i0 + lid.y * 4u + 2u;
  if (kv_row2 < u[0].z && kv_j0 + lid.x * 4u + 0u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row2) * u[0].z + kv_j0 + lid.x * 4u + 0u] = kv_s2.x; }
  if (kv_row2 < u[0].z && kv_j0 + lid.x * 4u + 1u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row2) * u[0].z + kv_j0 + lid.x * 4u + 1u] = kv_s2.y; }
  if (kv_row2 < u[0].z && kv_j0 + lid.x * 4u + 2u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row2) * u[0].z + kv_j0 + lid.x * 4u + 2u] = kv_s2.z; }
  if (kv_row2 < u[0].z && kv_j0 + lid.x * 4u + 3u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row2) * u[0].z + kv_j0 + lid.x * 4u + 3u] = kv_s2.w; }
  let kv_row3 = kv_i0 + lid.y * 4u + 3u;
  if (kv_row3 < u[0].z && kv_j0 + lid.x * 4u + 0u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row3) * u[0].z + kv_j0 + lid.x * 4u + 0u] = kv_s3.x; }
  if (kv_row3 < u[0].z && kv_j0 + lid.x * 4u + 1u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row3) * u[0].z + kv_j0 + lid.x * 4u + 1u] = kv_s3.y; }
  if (kv_row3 < u[0].z && kv_j0 + lid.x * 4u + 2u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row3) * u[0].z + kv_j0 + lid.x * 4u + 2u] = kv_s3.z; }
  if (kv_row3 < u[0].z && kv_j0 + lid.x * 4u + 3u < u[0].z) { s_partial[((kv_split * u[0].w + kv_b) * u[0].z + kv_row3) * u[0].z + kv_j0 + lid.x * 4u + 3u] = kv_s3.w; }
  if (wid.x == 0u && lid.x == 0u) {
    if (kv_row0 < u[0].z) { z_partial[(kv_split * u[0].w + kv_b) * u[0].z + kv_row0] = kv_z.x; }
    if (kv_row1 < u[0].z) { z_partial[(kv_split * u[0].w + kv_b) * u[0].z + kv_row1] = kv_z.y; }
    if (kv_row2 < u[0].z) { z_partial[(kv_split * u[0].w + kv_b) * u[0].z + kv_row2] = kv_z.z; }
    if (kv_row3 < u[0].z) { z_partial[(kv_split * u[0].w + kv_b) * u[0].z + kv_row3] = kv_z.w; }
  }
}

// ===== outer_mean_s =====
// %27 = outer_mean %25, %26 : [B, 2, d, d]   (saga.saga:26:11 let s)
@group(0) @binding(0) var<storage, read> s_partial: array<f32>;
@group(0) @binding(1) var<storage, read> z_partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> s: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;
@group(0) @binding(4) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  var acc0 = 0.0;
  for (var rd_r = 0u; rd_r < 32u; rd_r = rd_r + 1u) { acc0 = acc0 + s_partial[rd_r * u[0].x + i]; }
  s[i] = acc0 / f32(u[0].y);
  if (i < u[0].z) {
    var acc1 = 0.0;
    for (var rd_r = 0u; rd_r < 32u; rd_r = rd_r + 1u) { acc1 = acc1 + z_partial[rd_r * u[0].z + i]; }
    z[i] = acc1 / f32(u[0].y);
  }
}

// ===== matmul_s_w_o =====
// %36 = matmul %27, %35 : [B, 2, d, C]   (saga.saga:30:14 let s_w_o)
@group(0) @binding(0) var<storage, read> s: array<f32>;
@group(0) @binding(1) var<storage, read> w_o: array<f32>;
@group(0) @binding(2) var<storage, read_write> s_w_o: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<vec4<f32>, 528>;
var<workgroup> mm_tb: array<vec4<f32>, 256>;

// from saga.saga:18:3 (w_o)
fn ld_w_o_buf(c0: u32, c1: u32) -> f32 {
  return w_o[c0 * u[0].y + c1];
}

// from saga.saga:30:14
fn ld_t33(c0: u32, c1: u32) -> f32 {
  return ld_w_o_buf(c1, c0);
}

// from saga.saga:30:14
fn ld_t34(c0: u32, c1: u32, c2: u32) -> f32 {
  return ld_t33(c1, c0 * u[0].x + c2);
}

// from saga.saga:30:14
fn ld_t35(c0: u32, c1: u32, c2: u32) -> f32 {
  return ld_t34(c0, c2, c1);
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 127u) / 128u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].x;
  let mm_r0 = (mm_t % mm_tiles) * 128u;
  let mm_c0 = wid.x * 64u;
  let mm_inner = mm_r0 + 128u <= u[0].x && mm_c0 + 64u <= u[0].y;
  var r = mm_b;
  let i1 = r % 2u;
  r = r / 2u;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  var mm_v000 = vec4<f32>(0.0);
  var mm_v010 = vec4<f32>(0.0);
  var mm_v020 = vec4<f32>(0.0);
  var mm_v030 = vec4<f32>(0.0);
  var mm_v100 = vec4<f32>(0.0);
  var mm_v110 = vec4<f32>(0.0);
  var mm_v120 = vec4<f32>(0.0);
  var mm_v130 = vec4<f32>(0.0);
  let mm_q0 = lidx + 0u;
  let mm_am0 = (mm_q0 / 16u) * 4u;
  let mm_ak0 = mm_q0 % 16u;
  let mm_q1 = lidx + 256u;
  let mm_am1 = (mm_q1 / 16u) * 4u;
  let mm_ak1 = mm_q1 % 16u;
  let mm_bn0 = (mm_q0 % 16u) * 4u;
  let mm_bk0 = mm_q0 / 16u;
  var mm_ra0 = vec4<f32>(0.0);
  var mm_ra1 = vec4<f32>(0.0);
  var mm_rb0 = vec4<f32>(0.0);
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    if (mm_inner && mm_k0 + 16u <= mm_kend) {
      let mm_akk0 = mm_k0 + mm_ak0;
      mm_ra0 = vec4<f32>(s[mm_a + (mm_r0 + mm_am0 + 0u) * u[0].x + mm_akk0], s[mm_a + (mm_r0 + mm_am0 + 1u) * u[0].x + mm_akk0], s[mm_a + (mm_r0 + mm_am0 + 2u) * u[0].x + mm_akk0], s[mm_a + (mm_r0 + mm_am0 + 3u) * u[0].x + mm_akk0]);
      let mm_akk1 = mm_k0 + mm_ak1;
      mm_ra1 = vec4<f32>(s[mm_a + (mm_r0 + mm_am1 + 0u) * u[0].x + mm_akk1], s[mm_a + (mm_r0 + mm_am1 + 1u) * u[0].x + mm_akk1], s[mm_a + (mm_r0 + mm_am1 + 2u) * u[0].x + mm_akk1], s[mm_a + (mm_r0 + mm_am1 + 3u) * u[0].x + mm_akk1]);
      let mm_bkk0 = mm_k0 + mm_bk0;
      mm_rb0 = vec4<f32>(ld_t35(i1, mm_bkk0, (mm_c0 + mm_bn0 + 0u)), ld_t35(i1, mm_bkk0, (mm_c0 + mm_bn0 + 1u)), ld_t35(i1, mm_bkk0, (mm_c0 + mm_bn0 + 2u)), ld_t35(i1, mm_bkk0, (mm_c0 + mm_bn0 + 3u)));
    } else {
      let mm_akk0 = mm_k0 + mm_ak0;
      mm_ra0 = vec4<f32>(select(0.0, s[mm_a + min(mm_r0 + mm_am0 + 0u, u[0].x - 1u) * u[0].x + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 0u < u[0].x && mm_akk0 < mm_kend), select(0.0, s[mm_a + min(mm_r0 + mm_am0 + 1u, u[0].x - 1u) * u[0].x + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 1u < u[0].x && mm_akk0 < mm_kend), select(0.0, s[mm_a + min(mm_r0 + mm_am0 + 2u, u[0].x - 1u) * u[0].x + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 2u < u[0].x && mm_akk0 < mm_kend), select(0.0, s[mm_a + min(mm_r0 + mm_am0 + 3u, u[0].x - 1u) * u[0].x + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 3u < u[0].x && mm_akk0 < mm_kend));
      let mm_akk1 = mm_k0 + mm_ak1;
      mm_ra1 = vec4<f32>(select(0.0, s[mm_a + min(mm_r0 + mm_am1 + 0u, u[0].x - 1u) * u[0].x + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 0u < u[0].x && mm_akk1 < mm_kend), select(0.0, s[mm_a + min(mm_r0 + mm_am1 + 1u, u[0].x - 1u) * u[0].x + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 1u < u[0].x && mm_akk1 < mm_kend), select(0.0, s[mm_a + min(mm_r0 + mm_am1 + 2u, u[0].x - 1u) * u[0].x + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 2u < u[0].x && mm_akk1 < mm_kend), select(0.0, s[mm_a + min(mm_r0 + mm_am1 + 3u, u[0].x - 1u) * u[0].x + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 3u < u[0].x && mm_akk1 < mm_kend));
      let mm_bkk0 = mm_k0 + mm_bk0;
      mm_rb0 = vec4<f32>(select(0.0, ld_t35(i1, min(mm_bkk0, mm_kend - 1u), min(mm_c0 + mm_bn0 + 0u, u[0].y - 1u)), mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 0u < u[0].y), select(0.0, ld_t35(i1, min(mm_bkk0, mm_kend - 1u), min(mm_c0 + mm_bn0 + 1u, u[0].y - 1u)), mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 1u < u[0].y), select(0.0, ld_t35(i1, min(mm_bkk0, mm_kend - 1u), min(mm_c0 + mm_bn0 + 2u, u[0].y - 1u)), mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 2u < u[0].y), select(0.0, ld_t35(i1, min(mm_bkk0, mm_kend - 1u), min(mm_c0 + mm_bn0 + 3u, u[0].y - 1u)), mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 3u < u[0].y));
    }
    mm_ta[mm_ak0 * 33u + mm_am0 / 4u] = mm_ra0;
    mm_ta[mm_ak1 * 33u + mm_am1 / 4u] = mm_ra1;
    mm_tb[mm_q0] = mm_rb0;
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_va0 = mm_ta[mm_p * 33u + 0u + lid.y];
      let mm_va1 = mm_ta[mm_p * 33u + 16u + lid.y];
      let mm_vb0 = mm_tb[mm_p * 16u + 0u + lid.x];
      mm_v000 = fma(vec4<f32>(mm_va0.x), mm_vb0, mm_v000);
      mm_v010 = fma(vec4<f32>(mm_va0.y), mm_vb0, mm_v010);
      mm_v020 = fma(vec4<f32>(mm_va0.z), mm_vb0, mm_v020);
      mm_v030 = fma(vec4<f32>(mm_va0.w), mm_vb0, mm_v030);
      mm_v100 = fma(vec4<f32>(mm_va1.x), mm_vb0, mm_v100);
      mm_v110 = fma(vec4<f32>(mm_va1.y), mm_vb0, mm_v110);
      mm_v120 = fma(vec4<f32>(mm_va1.z), mm_vb0, mm_v120);
      mm_v130 = fma(vec4<f32>(mm_va1.w), mm_vb0, mm_v130);
    }
    workgroupBarrier();
  }
  let mm_row00 = mm_r0 + 0u + lid.y * 4u + 0u;
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v000.x; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v000.y; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v000.z; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v000.w; }
  let mm_row01 = mm_r0 + 0u + lid.y * 4u + 1u;
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v010.x; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v010.y; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v010.z; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v010.w; }
  let mm_row02 = mm_r0 + 0u + lid.y * 4u + 2u;
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v020.x; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v020.y; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v020.z; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v020.w; }
  let mm_row03 = mm_r0 + 0u + lid.y * 4u + 3u;
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v030.x; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v030.y; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v030.z; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v030.w; }
  let mm_row10 = mm_r0 + 64u + lid.y * 4u + 0u;
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v100.x; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v100.y; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v100.z; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v100.w; }
  let mm_row11 = mm_r0 + 64u + lid.y * 4u + 1u;
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v110.x; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v110.y; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v110.z; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v110.w; }
  let mm_row12 = mm_r0 + 64u + lid.y * 4u + 2u;
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v120.x; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v120.y; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v120.z; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v120.w; }
  let mm_row13 = mm_r0 + 64u + lid.y * 4u + 3u;
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v130.x; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v130.y; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v130.z; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { s_w_o[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v130.w; }
}

// ===== matmul_t9 =====
// %9 = matmul %0, %1 : [B, N, C]   (saga.saga:20:28)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_q: array<f32>;
@group(0) @binding(2) var<storage, read_write> t9: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<vec4<f32>, 528>;
var<workgroup> mm_tb: array<vec4<f32>, 256>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 127u) / 128u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 128u;
  let mm_c0 = wid.x * 64u;
  let mm_inner = mm_r0 + 128u <= u[0].x && mm_c0 + 64u <= u[0].y;
  var r = mm_b;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  let mm_bo = 0u;
  var mm_v000 = vec4<f32>(0.0);
  var mm_v010 = vec4<f32>(0.0);
  var mm_v020 = vec4<f32>(0.0);
  var mm_v030 = vec4<f32>(0.0);
  var mm_v100 = vec4<f32>(0.0);
  var mm_v110 = vec4<f32>(0.0);
  var mm_v120 = vec4<f32>(0.0);
  var mm_v130 = vec4<f32>(0.0);
  let mm_q0 = lidx + 0u;
  let mm_am0 = (mm_q0 / 16u) * 4u;
  let mm_ak0 = mm_q0 % 16u;
  let mm_q1 = lidx + 256u;
  let mm_am1 = (mm_q1 / 16u) * 4u;
  let mm_ak1 = mm_q1 % 16u;
  let mm_bn0 = (mm_q0 % 16u) * 4u;
  let mm_bk0 = mm_q0 / 16u;
  var mm_ra0 = vec4<f32>(0.0);
  var mm_ra1 = vec4<f32>(0.0);
  var mm_rb0 = vec4<f32>(0.0);
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    if (mm_inner && mm_k0 + 16u <= mm_kend) {
      let mm_akk0 = mm_k0 + mm_ak0;
      mm_ra0 = vec4<f32>(x[mm_a + (mm_r0 + mm_am0 + 0u) * u[0].y + mm_akk0], x[mm_a + (mm_r0 + mm_am0 + 1u) * u[0].y + mm_akk0], x[mm_a + (mm_r0 + mm_am0 + 2u) * u[0].y + mm_akk0], x[mm_a + (mm_r0 + mm_am0 + 3u) * u[0].y + mm_akk0]);
      let mm_akk1 = mm_k0 + mm_ak1;
      mm_ra1 = vec4<f32>(x[mm_a + (mm_r0 + mm_am1 + 0u) * u[0].y + mm_akk1], x[mm_a + (mm_r0 + mm_am1 + 1u) * u[0].y + mm_akk1], x[mm_a + (mm_r0 + mm_am1 + 2u) * u[0].y + mm_akk1], x[mm_a + (mm_r0 + mm_am1 + 3u) * u[0].y + mm_akk1]);
      let mm_bkk0 = mm_k0 + mm_bk0;
      mm_rb0 = vec4<f32>(w_q[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 0u)], w_q[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 1u)], w_q[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 2u)], w_q[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 3u)]);
    } else {
      let mm_akk0 = mm_k0 + mm_ak0;
      mm_ra0 = vec4<f32>(select(0.0, x[mm_a + min(mm_r0 + mm_am0 + 0u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 0u < u[0].x && mm_akk0 < mm_kend), select(0.0, x[mm_a + min(mm_r0 + mm_am0 + 1u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 1u < u[0].x && mm_akk0 < mm_kend), select(0.0, x[mm_a + min(mm_r0 + mm_am0 + 2u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 2u < u[0].x && mm_akk0 < mm_kend), select(0.0, x[mm_a + min(mm_r0 + mm_am0 + 3u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 3u < u[0].x && mm_akk0 < mm_kend));
      let mm_akk1 = mm_k0 + mm_ak1;
      mm_ra1 = vec4<f32>(select(0.0, x[mm_a + min(mm_r0 + mm_am1 + 0u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 0u < u[0].x && mm_akk1 < mm_kend), select(0.0, x[mm_a + min(mm_r0 + mm_am1 + 1u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 1u < u[0].x && mm_akk1 < mm_kend), select(0.0, x[mm_a + min(mm_r0 + mm_am1 + 2u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 2u < u[0].x && mm_akk1 < mm_kend), select(0.0, x[mm_a + min(mm_r0 + mm_am1 + 3u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 3u < u[0].x && mm_akk1 < mm_kend));
      let mm_bkk0 = mm_k0 + mm_bk0;
      mm_rb0 = vec4<f32>(select(0.0, w_q[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 0u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 0u < u[0].y), select(0.0, w_q[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 1u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 1u < u[0].y), select(0.0, w_q[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 2u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 2u < u[0].y), select(0.0, w_q[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 3u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 3u < u[0].y));
    }
    mm_ta[mm_ak0 * 33u + mm_am0 / 4u] = mm_ra0;
    mm_ta[mm_ak1 * 33u + mm_am1 / 4u] = mm_ra1;
    mm_tb[mm_q0] = mm_rb0;
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_va0 = mm_ta[mm_p * 33u + 0u + lid.y];
      let mm_va1 = mm_ta[mm_p * 33u + 16u + lid.y];
      let mm_vb0 = mm_tb[mm_p * 16u + 0u + lid.x];
      mm_v000 = fma(vec4<f32>(mm_va0.x), mm_vb0, mm_v000);
      mm_v010 = fma(vec4<f32>(mm_va0.y), mm_vb0, mm_v010);
      mm_v020 = fma(vec4<f32>(mm_va0.z), mm_vb0, mm_v020);
      mm_v030 = fma(vec4<f32>(mm_va0.w), mm_vb0, mm_v030);
      mm_v100 = fma(vec4<f32>(mm_va1.x), mm_vb0, mm_v100);
      mm_v110 = fma(vec4<f32>(mm_va1.y), mm_vb0, mm_v110);
      mm_v120 = fma(vec4<f32>(mm_va1.z), mm_vb0, mm_v120);
      mm_v130 = fma(vec4<f32>(mm_va1.w), mm_vb0, mm_v130);
    }
    workgroupBarrier();
  }
  let mm_row00 = mm_r0 + 0u + lid.y * 4u + 0u;
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v000.x; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v000.y; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v000.z; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v000.w; }
  let mm_row01 = mm_r0 + 0u + lid.y * 4u + 1u;
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v010.x; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v010.y; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v010.z; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v010.w; }
  let mm_row02 = mm_r0 + 0u + lid.y * 4u + 2u;
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v020.x; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v020.y; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v020.z; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v020.w; }
  let mm_row03 = mm_r0 + 0u + lid.y * 4u + 3u;
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v030.x; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v030.y; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v030.z; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v030.w; }
  let mm_row10 = mm_r0 + 64u + lid.y * 4u + 0u;
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v100.x; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v100.y; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v100.z; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v100.w; }
  let mm_row11 = mm_r0 + 64u + lid.y * 4u + 1u;
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v110.x; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v110.y; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v110.z; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v110.w; }
  let mm_row12 = mm_r0 + 64u + lid.y * 4u + 2u;
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v120.x; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v120.y; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v120.z; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v120.w; }
  let mm_row13 = mm_r0 + 64u + lid.y * 4u + 3u;
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v130.x; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t9[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v130.y; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t9[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v130.z; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t9[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v130.w; }
}

// ===== matmul_y =====
// %37 = matmul %11, %36 : [B, 2, N, C]   (saga.saga:29:11)
// %30 = sum %29, axis=3, keep : [B, 2, N, 1]   (saga.saga:28:13 let den)
// %39 = sum %38, axis=1 : [B, N, C]   (saga.saga:30:14 output y)
@group(0) @binding(0) var<storage, read> s_w_o: array<f32>;
@group(0) @binding(1) var<storage, read> t9: array<f32>;
@group(0) @binding(2) var<storage, read> z: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> den: array<f32>;
@group(0) @binding(5) var<uniform> u: array<vec4<u32>, 2>;
var<workgroup> mm_ta: array<vec4<f32>, 528>;
var<workgroup> mm_tb: array<vec4<f32>, 256>;

// from saga.saga:20:28
fn ld_t9_buf(c0: u32, c1: u32, c2: u32) -> f32 {
  return t9[c0 * u[1].y + c1 * u[0].z + c2];
}

// from saga.saga:20:16
fn ld_t10(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return ld_t9_buf(c0, c2, c1 * u[0].y + c3);
}

// from saga.saga:20:11 (q)
fn ld_q(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let arg = ld_t10(c0, c1, c2, c3);
  return select(0.0, arg, arg > 0.0);
}

// from saga.saga:27:11 (z)
fn ld_z_buf(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return z[c0 * u[0].z + c1 * u[0].y + c3];
}

// from saga.saga:29:21
fn ld_t32(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let lhs = mm_ta[(c2 % 128u) / 4u][c2 % 4u];
  let rhs = 0.000001f;
  return lhs + rhs;
}

// from saga.saga:29:11
fn ep_t38(c0: u32, c1: u32, c2: u32, c3: u32, acc: f32) -> f32 {
  let lhs = acc;
  let rhs = ld_t32(c0, c1, c2, 0u);
  return lhs / rhs;
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 127u) / 128u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].w) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 128u;
  let mm_c0 = wid.x * 64u;
  let mm_inner = mm_r0 + 128u <= u[0].x && mm_c0 + 64u <= u[0].z;
  var mm_s000 = vec4<f32>(0.0);
  var mm_s010 = vec4<f32>(0.0);
  var mm_s020 = vec4<f32>(0.0);
  var mm_s030 = vec4<f32>(0.0);
  var mm_s100 = vec4<f32>(0.0);
  var mm_s110 = vec4<f32>(0.0);
  var mm_s120 = vec4<f32>(0.0);
  var mm_s130 = vec4<f32>(0.0);
  for (var mm_h = 0u; mm_h < 2u; mm_h = mm_h + 1u) {
    let mm_b = mm_sb * 2u + mm_h;
    var r = mm_b;
    let i1 = r % 2u;
    r = r / 2u;
    let i0 = r;
    let mm_bo = mm_b * u[1].x;
    var mm_v000 = vec4<f32>(0.0);
    var mm_v010 = vec4<f32>(0.0);
    var mm_v020 = vec4<f32>(0.0);
    var mm_v030 = vec4<f32>(0.0);
    var mm_v100 = vec4<f32>(0.0);
    var mm_v110 = vec4<f32>(0.0);
    var mm_v120 = vec4<f32>(0.0);
    var mm_v130 = vec4<f32>(0.0);
    var rd_acc = 0.0;
    let mm_q0 = lidx + 0u;
    let mm_am0 = (mm_q0 / 16u) * 4u;
    let mm_ak0 = mm_q0 % 16u;
    let mm_q1 = lidx + 256u;
    let mm_am1 = (mm_q1 / 16u) * 4u;
    let mm_ak1 = mm_q1 % 16u;
    let mm_bn0 = (mm_q0 % 16u) * 4u;
    let mm_bk0 = mm_q0 / 16u;
    var mm_ra0 = vec4<f32>(0.0);
    var mm_ra1 = vec4<f32>(0.0);
    var mm_rb0 = vec4<f32>(0.0);
    for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
      if (mm_inner && mm_k0 + 16u <= mm_kend) {
        let mm_akk0 = mm_k0 + mm_ak0;
        mm_ra0 = vec4<f32>(ld_q(i0, i1, (mm_r0 + mm_am0 + 0u), mm_akk0), ld_q(i0, i1, (mm_r0 + mm_am0 + 1u), mm_akk0), ld_q(i0, i1, (mm_r0 + mm_am0 + 2u), mm_akk0), ld_q(i0, i1, (mm_r0 + mm_am0 + 3u), mm_akk0));
        let mm_akk1 = mm_k0 + mm_ak1;
        mm_ra1 = vec4<f32>(ld_q(i0, i1, (mm_r0 + mm_am1 + 0u), mm_akk1), ld_q(i0, i1, (mm_r0 + mm_am1 + 1u), mm_akk1), ld_q(i0, i1, (mm_r0 + mm_am1 + 2u), mm_akk1), ld_q(i0, i1, (mm_r0 + mm_am1 + 3u), mm_akk1));
        let mm_bkk0 = mm_k0 + mm_bk0;
        mm_rb0 = vec4<f32>(s_w_o[mm_bo + mm_bkk0 * u[0].z + (mm_c0 + mm_bn0 + 0u)], s_w_o[mm_bo + mm_bkk0 * u[0].z + (mm_c0 + mm_bn0 + 1u)], s_w_o[mm_bo + mm_bkk0 * u[0].z + (mm_c0 + mm_bn0 + 2u)], s_w_o[mm_bo + mm_bkk0 * u[0].z + (mm_c0 + mm_bn0 + 3u)]);
      } else {
        let mm_akk0 = mm_k0 + mm_ak0;
        mm_ra0 = vec4<f32>(select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am0 + 0u, u[0].x - 1u), min(mm_akk0, mm_kend - 1u)), mm_r0 + mm_am0 + 0u < u[0].x && mm_akk0 < mm_kend), select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am0 + 1u, u[0].x - 1u), min(mm_akk0, mm_kend - 1u)), mm_r0 + mm_am0 + 1u < u[0].x && mm_akk0 < mm_kend), select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am0 + 2u, u[0].x - 1u), min(mm_akk0, mm_kend - 1u)), mm_r0 + mm_am0 + 2u < u[0].x && mm_akk0 < mm_kend), select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am0 + 3u, u[0].x - 1u), min(mm_akk0, mm_kend - 1u)), mm_r0 + mm_am0 + 3u < u[0].x && mm_akk0 < mm_kend));
        let mm_akk1 = mm_k0 + mm_ak1;
        mm_ra1 = vec4<f32>(select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am1 + 0u, u[0].x - 1u), min(mm_akk1, mm_kend - 1u)), mm_r0 + mm_am1 + 0u < u[0].x && mm_akk1 < mm_kend), select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am1 + 1u, u[0].x - 1u), min(mm_akk1, mm_kend - 1u)), mm_r0 + mm_am1 + 1u < u[0].x && mm_akk1 < mm_kend), select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am1 + 2u, u[0].x - 1u), min(mm_akk1, mm_kend - 1u)), mm_r0 + mm_am1 + 2u < u[0].x && mm_akk1 < mm_kend), select(0.0, ld_q(i0, i1, min(mm_r0 + mm_am1 + 3u, u[0].x - 1u), min(mm_akk1, mm_kend - 1u)), mm_r0 + mm_am1 + 3u < u[0].x && mm_akk1 < mm_kend));
        let mm_bkk0 = mm_k0 + mm_bk0;
        mm_rb0 = vec4<f32>(select(0.0, s_w_o[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].z + min(mm_c0 + mm_bn0 + 0u, u[0].z - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 0u < u[0].z), select(0.0, s_w_o[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].z + min(mm_c0 + mm_bn0 + 1u, u[0].z - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 1u < u[0].z), select(0.0, s_w_o[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].z + min(mm_c0 + mm_bn0 + 2u, u[0].z - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 2u < u[0].z), select(0.0, s_w_o[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].z + min(mm_c0 + mm_bn0 + 3u, u[0].z - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 3u < u[0].z));
      }
      mm_ta[mm_ak0 * 33u + mm_am0 / 4u] = mm_ra0;
      mm_ta[mm_ak1 * 33u + mm_am1 / 4u] = mm_ra1;
      mm_tb[mm_q0] = mm_rb0;
      workgroupBarrier();
      for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
        let mm_va0 = mm_ta[mm_p * 33u + 0u + lid.y];
        let mm_va1 = mm_ta[mm_p * 33u + 16u + lid.y];
        let mm_vb0 = mm_tb[mm_p * 16u + 0u + lid.x];
        mm_v000 = fma(vec4<f32>(mm_va0.x), mm_vb0, mm_v000);
        mm_v010 = fma(vec4<f32>(mm_va0.y), mm_vb0, mm_v010);
        mm_v020 = fma(vec4<f32>(mm_va0.z), mm_vb0, mm_v020);
        mm_v030 = fma(vec4<f32>(mm_va0.w), mm_vb0, mm_v030);
        mm_v100 = fma(vec4<f32>(mm_va1.x), mm_vb0, mm_v100);
        mm_v110 = fma(vec4<f32>(mm_va1.y), mm_vb0, mm_v110);
        mm_v120 = fma(vec4<f32>(mm_va1.z), mm_vb0, mm_v120);
        mm_v130 = fma(vec4<f32>(mm_va1.w), mm_vb0, mm_v130);
      }
      if (lidx < 128u) {
        for (var rd_p = 0u; rd_p < 16u; rd_p = rd_p + 1u) {
          let rd_k = mm_k0 + rd_p;
          if (rd_k < mm_kend) { rd_acc = rd_acc + mm_ta[rd_p * 33u + lidx / 4u][lidx % 4u] * ld_z_buf(i0, i1, 0u, rd_k); }
        }
      }
      workgroupBarrier();
    }
    let rd_row = mm_r0 + lidx;
    let rd_value = rd_acc;
    if (lidx < 128u) { mm_ta[lidx / 4u][lidx % 4u] = rd_value; }
    if (wid.x == 0u && lidx < 128u && rd_row < u[0].x) { den[mm_b * u[0].x + rd_row] = rd_value; }
    workgroupBarrier();
    let mm_row00 = mm_r0 + 0u + lid.y * 4u + 0u;
    if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s000.x = mm_s000.x + ep_t38(i0, i1, mm_row00, mm_c0 + 0u + lid.x * 4u + 0u, mm_v000.x); }
    if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s000.y = mm_s000.y + ep_t38(i0, i1, mm_row00, mm_c0 + 0u + lid.x * 4u + 1u, mm_v000.y); }
    if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s000.z = mm_s000.z + ep_t38(i0, i1, mm_row00, mm_c0 + 0u + lid.x * 4u + 2u, mm_v000.z); }
    if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s000.w = mm_s000.w + ep_t38(i0, i1, mm_row00, mm_c0 + 0u + lid.x * 4u + 3u, mm_v000.w); }
    let mm_row01 = mm_r0 + 0u + lid.y * 4u + 1u;
    if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s010.x = mm_s010.x + ep_t38(i0, i1, mm_row01, mm_c0 + 0u + lid.x * 4u + 0u, mm_v010.x); }
    if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s010.y = mm_s010.y + ep_t38(i0, i1, mm_row01, mm_c0 + 0u + lid.x * 4u + 1u, mm_v010.y); }
    if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s010.z = mm_s010.z + ep_t38(i0, i1, mm_row01, mm_c0 + 0u + lid.x * 4u + 2u, mm_v010.z); }
    if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s010.w = mm_s010.w + ep_t38(i0, i1, mm_row01, mm_c0 + 0u + lid.x * 4u + 3u, mm_v010.w); }
    let mm_row02 = mm_r0 + 0u + lid.y * 4u + 2u;
    if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s020.x = mm_s020.x + ep_t38(i0, i1, mm_row02, mm_c0 + 0u + lid.x * 4u + 0u, mm_v020.x); }
    if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s020.y = mm_s020.y + ep_t38(i0, i1, mm_row02, mm_c0 + 0u + lid.x * 4u + 1u, mm_v020.y); }
    if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s020.z = mm_s020.z + ep_t38(i0, i1, mm_row02, mm_c0 + 0u + lid.x * 4u + 2u, mm_v020.z); }
    if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s020.w = mm_s020.w + ep_t38(i0, i1, mm_row02, mm_c0 + 0u + lid.x * 4u + 3u, mm_v020.w); }
    let mm_row03 = mm_r0 + 0u + lid.y * 4u + 3u;
    if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s030.x = mm_s030.x + ep_t38(i0, i1, mm_row03, mm_c0 + 0u + lid.x * 4u + 0u, mm_v030.x); }
    if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s030.y = mm_s030.y + ep_t38(i0, i1, mm_row03, mm_c0 + 0u + lid.x * 4u + 1u, mm_v030.y); }
    if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s030.z = mm_s030.z + ep_t38(i0, i1, mm_row03, mm_c0 + 0u + lid.x * 4u + 2u, mm_v030.z); }
    if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s030.w = mm_s030.w + ep_t38(i0, i1, mm_row03, mm_c0 + 0u + lid.x * 4u + 3u, mm_v030.w); }
    let mm_row10 = mm_r0 + 64u + lid.y * 4u + 0u;
    if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s100.x = mm_s100.x + ep_t38(i0, i1, mm_row10, mm_c0 + 0u + lid.x * 4u + 0u, mm_v100.x); }
    if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s100.y = mm_s100.y + ep_t38(i0, i1, mm_row10, mm_c0 + 0u + lid.x * 4u + 1u, mm_v100.y); }
    if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s100.z = mm_s100.z + ep_t38(i0, i1, mm_row10, mm_c0 + 0u + lid.x * 4u + 2u, mm_v100.z); }
    if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s100.w = mm_s100.w + ep_t38(i0, i1, mm_row10, mm_c0 + 0u + lid.x * 4u + 3u, mm_v100.w); }
    let mm_row11 = mm_r0 + 64u + lid.y * 4u + 1u;
    if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s110.x = mm_s110.x + ep_t38(i0, i1, mm_row11, mm_c0 + 0u + lid.x * 4u + 0u, mm_v110.x); }
    if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s110.y = mm_s110.y + ep_t38(i0, i1, mm_row11, mm_c0 + 0u + lid.x * 4u + 1u, mm_v110.y); }
    if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s110.z = mm_s110.z + ep_t38(i0, i1, mm_row11, mm_c0 + 0u + lid.x * 4u + 2u, mm_v110.z); }
    if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s110.w = mm_s110.w + ep_t38(i0, i1, mm_row11, mm_c0 + 0u + lid.x * 4u + 3u, mm_v110.w); }
    let mm_row12 = mm_r0 + 64u + lid.y * 4u + 2u;
    if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s120.x = mm_s120.x + ep_t38(i0, i1, mm_row12, mm_c0 + 0u + lid.x * 4u + 0u, mm_v120.x); }
    if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s120.y = mm_s120.y + ep_t38(i0, i1, mm_row12, mm_c0 + 0u + lid.x * 4u + 1u, mm_v120.y); }
    if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s120.z = mm_s120.z + ep_t38(i0, i1, mm_row12, mm_c0 + 0u + lid.x * 4u + 2u, mm_v120.z); }
    if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s120.w = mm_s120.w + ep_t38(i0, i1, mm_row12, mm_c0 + 0u + lid.x * 4u + 3u, mm_v120.w); }
    let mm_row13 = mm_r0 + 64u + lid.y * 4u + 3u;
    if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { mm_s130.x = mm_s130.x + ep_t38(i0, i1, mm_row13, mm_c0 + 0u + lid.x * 4u + 0u, mm_v130.x); }
    if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { mm_s130.y = mm_s130.y + ep_t38(i0, i1, mm_row13, mm_c0 + 0u + lid.x * 4u + 1u, mm_v130.y); }
    if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { mm_s130.z = mm_s130.z + ep_t38(i0, i1, mm_row13, mm_c0 + 0u + lid.x * 4u + 2u, mm_v130.z); }
    if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { mm_s130.w = mm_s130.w + ep_t38(i0, i1, mm_row13, mm_c0 + 0u + lid.x * 4u + 3u, mm_v130.w); }
    workgroupBarrier();
  }
  let mm_row00 = mm_r0 + 0u + lid.y * 4u + 0u;
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row00) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s000.x; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row00) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s000.y; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row00) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s000.z; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row00) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s000.w; }
  let mm_row01 = mm_r0 + 0u + lid.y * 4u + 1u;
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row01) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s010.x; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row01) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s010.y; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row01) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s010.z; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row01) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s010.w; }
  let mm_row02 = mm_r0 + 0u + lid.y * 4u + 2u;
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row02) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s020.x; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row02) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s020.y; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row02) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s020.z; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row02) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s020.w; }
  let mm_row03 = mm_r0 + 0u + lid.y * 4u + 3u;
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row03) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s030.x; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row03) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s030.y; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row03) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s030.z; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row03) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s030.w; }
  let mm_row10 = mm_r0 + 64u + lid.y * 4u + 0u;
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row10) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s100.x; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row10) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s100.y; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row10) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s100.z; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row10) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s100.w; }
  let mm_row11 = mm_r0 + 64u + lid.y * 4u + 1u;
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row11) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s110.x; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row11) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s110.y; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row11) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s110.z; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row11) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s110.w; }
  let mm_row12 = mm_r0 + 64u + lid.y * 4u + 2u;
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row12) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s120.x; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row12) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s120.y; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row12) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s120.z; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row12) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s120.w; }
  let mm_row13 = mm_r0 + 64u + lid.y * 4u + 3u;
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].z) { y[(mm_sb * u[0].x + mm_row13) * u[0].z + mm_c0 + 0u + lid.x * 4u + 0u] = mm_s130.x; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].z) { y[(mm_sb * u[0].x + mm_row13) * u[0].z + mm_c0 + 0u + lid.x * 4u + 1u] = mm_s130.y; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].z) { y[(mm_sb * u[0].x + mm_row13) * u[0].z + mm_c0 + 0u + lid.x * 4u + 2u] = mm_s130.z; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].z) { y[(mm_sb * u[0].x + mm_row13) * u[0].z + mm_c0 + 0u + lid.x * 4u + 3u] = mm_s130.w; }
}
