// ===== mul_t9 =====
// %9 = mul %3, %1 : [B, 2, N, C/2]   (test.saga:10:1)
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> t9: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let v0 = a[i];
  let v1 = k[i];
  t9[i] = v0 * v1;
}

// ===== sum_z =====
// %10 = sum %9, axis=2, keep : [B, 2, 1, C/2]   (test.saga:11:1 let z)
@group(0) @binding(0) var<storage, read> t9: array<f32>;
@group(0) @binding(1) var<storage, read_write> z: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> rd_sh: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let rd_o = (wid.z * nwg.y + wid.y) * nwg.x + wid.x;
  if (rd_o >= u[0].z) { return; }
  let rd_p = (rd_o / u[0].y) * u[0].x * u[0].y + rd_o % u[0].y;
  var acc = 0.0;
  for (var rd_r = lidx; rd_r < u[0].x; rd_r = rd_r + 256u) {
    acc = acc + t9[rd_p + rd_r * u[0].y];
  }
  rd_sh[lidx] = acc;
  workgroupBarrier();
  for (var rd_s = 128u; rd_s > 0u; rd_s = rd_s / 2u) {
    if (lidx < rd_s) { rd_sh[lidx] = rd_sh[lidx] + rd_sh[lidx + rd_s]; }
    workgroupBarrier();
  }
  if (lidx == 0u) { z[rd_o] = rd_sh[0]; }
}

// ===== mul_t11 =====
// %11 = mul %0, %10 : [B, 2, N, C/2]   (test.saga:12:1)
@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read_write> t11: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  var r = i;
  let i2 = r % u[0].y;
  r = r / u[0].y;
  let i1 = r % u[0].z;
  r = r / u[0].z;
  let i0 = r;
  let v0 = q[i];
  let v1 = z[i0 * u[0].y + i2];
  t11[i] = v0 * v1;
}

// ===== sum_den =====
// %12 = sum %11, axis=3, keep : [B, 2, N, 1]   (test.saga:13:1 let den)
@group(0) @binding(0) var<storage, read> t11: array<f32>;
@group(0) @binding(1) var<storage, read_write> den: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].y) { return; }
  let rd_p = i * u[0].x;
  var acc = 0.0;
  for (var rd_r = 0u; rd_r < u[0].x; rd_r = rd_r + 1u) {
    acc = acc + t11[rd_p + rd_r];
  }
  den[i] = acc;
}

// ===== add_t15 =====
// %15 = add %12, %14 : [B, 2, N, 1]   (test.saga:16:1)
@group(0) @binding(0) var<storage, read> den: array<f32>;
@group(0) @binding(1) var<storage, read_write> t15: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let v0 = den[i];
  let v1 = 0.000001f;
  t15[i] = v0 + v1;
}

// ===== outer_g =====
// %5 = outer %3, %4 : [B, 2, N, C/2, C/2]   (test.saga:6:1 let g)
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> g: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  var r = i;
  let i2 = r % u[0].y;
  r = r / u[0].y;
  let i1 = r % u[0].y;
  r = r / u[0].y;
  let i0 = r;
  let v0 = a[i0 * u[0].y + i1];
  let v1 = b[i0 * u[0].y + i2];
  g[i] = v0 * v1;
}

// ===== outer_t6 =====
// %6 = outer %1, %2 : [B, 2, N, C/2, C/2]   (test.saga:7:1)
@group(0) @binding(0) var<storage, read> k: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> t6: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  var r = i;
  let i2 = r % u[0].y;
  r = r / u[0].y;
  let i1 = r % u[0].y;
  r = r / u[0].y;
  let i0 = r;
  let v0 = k[i0 * u[0].y + i1];
  let v1 = v[i0 * u[0].y + i2];
  t6[i] = v0 * v1;
}

// ===== mul_t7 =====
// %7 = mul %5, %6 : [B, 2, N, C/2, C/2]   (test.saga:8:1)
@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read> t6: array<f32>;
@group(0) @binding(2) var<storage, read_write> t7: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let v0 = g[i];
  let v1 = t6[i];
  t7[i] = v0 * v1;
}

// ===== sum_s =====
// %8 = sum %7, axis=2 : [B, 2, C/2, C/2]   (test.saga:9:1 let s)
@group(0) @binding(0) var<storage, read> t7: array<f32>;
@group(0) @binding(1) var<storage, read_write> s: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> rd_sh: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let rd_o = (wid.z * nwg.y + wid.y) * nwg.x + wid.x;
  if (rd_o >= u[0].z) { return; }
  let rd_p = (rd_o / u[0].y) * u[0].x * u[0].y + rd_o % u[0].y;
  var acc = 0.0;
  for (var rd_r = lidx; rd_r < u[0].x; rd_r = rd_r + 256u) {
    acc = acc + t7[rd_p + rd_r * u[0].y];
  }
  rd_sh[lidx] = acc;
  workgroupBarrier();
  for (var rd_s = 128u; rd_s > 0u; rd_s = rd_s / 2u) {
    if (lidx < rd_s) { rd_sh[lidx] = rd_sh[lidx] + rd_sh[lidx + rd_s]; }
    workgroupBarrier();
  }
  if (lidx == 0u) { s[rd_o] = rd_sh[0]; }
}

// ===== matmul_t13 =====
// %13 = matmul %0, %8 : [B, 2, N, C/2]   (test.saga:14:1)
@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> t13: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 2>;
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
  let mm_a = mm_b * u[0].w;
  let mm_bo = mm_b * u[1].x;
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
      mm_ra0 = vec4<f32>(q[mm_a + (mm_r0 + mm_am0 + 0u) * u[0].y + mm_akk0], q[mm_a + (mm_r0 + mm_am0 + 1u) * u[0].y + mm_akk0], q[mm_a + (mm_r0 + mm_am0 + 2u) * u[0].y + mm_akk0], q[mm_a + (mm_r0 + mm_am0 + 3u) * u[0].y + mm_akk0]);
      let mm_akk1 = mm_k0 + mm_ak1;
      mm_ra1 = vec4<f32>(q[mm_a + (mm_r0 + mm_am1 + 0u) * u[0].y + mm_akk1], q[mm_a + (mm_r0 + mm_am1 + 1u) * u[0].y + mm_akk1], q[mm_a + (mm_r0 + mm_am1 + 2u) * u[0].y + mm_akk1], q[mm_a + (mm_r0 + mm_am1 + 3u) * u[0].y + mm_akk1]);
      let mm_bkk0 = mm_k0 + mm_bk0;
      mm_rb0 = vec4<f32>(s[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 0u)], s[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 1u)], s[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 2u)], s[mm_bo + mm_bkk0 * u[0].y + (mm_c0 + mm_bn0 + 3u)]);
    } else {
      let mm_akk0 = mm_k0 + mm_ak0;
      mm_ra0 = vec4<f32>(select(0.0, q[mm_a + min(mm_r0 + mm_am0 + 0u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 0u < u[0].x && mm_akk0 < mm_kend), select(0.0, q[mm_a + min(mm_r0 + mm_am0 + 1u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 1u < u[0].x && mm_akk0 < mm_kend), select(0.0, q[mm_a + min(mm_r0 + mm_am0 + 2u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 2u < u[0].x && mm_akk0 < mm_kend), select(0.0, q[mm_a + min(mm_r0 + mm_am0 + 3u, u[0].x - 1u) * u[0].y + min(mm_akk0, mm_kend - 1u)], mm_r0 + mm_am0 + 3u < u[0].x && mm_akk0 < mm_kend));
      let mm_akk1 = mm_k0 + mm_ak1;
      mm_ra1 = vec4<f32>(select(0.0, q[mm_a + min(mm_r0 + mm_am1 + 0u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 0u < u[0].x && mm_akk1 < mm_kend), select(0.0, q[mm_a + min(mm_r0 + mm_am1 + 1u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 1u < u[0].x && mm_akk1 < mm_kend), select(0.0, q[mm_a + min(mm_r0 + mm_am1 + 2u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 2u < u[0].x && mm_akk1 < mm_kend), select(0.0, q[mm_a + min(mm_r0 + mm_am1 + 3u, u[0].x - 1u) * u[0].y + min(mm_akk1, mm_kend - 1u)], mm_r0 + mm_am1 + 3u < u[0].x && mm_akk1 < mm_kend));
      let mm_bkk0 = mm_k0 + mm_bk0;
      mm_rb0 = vec4<f32>(select(0.0, s[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 0u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 0u < u[0].y), select(0.0, s[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 1u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 1u < u[0].y), select(0.0, s[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 2u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 2u < u[0].y), select(0.0, s[mm_bo + min(mm_bkk0, mm_kend - 1u) * u[0].y + min(mm_c0 + mm_bn0 + 3u, u[0].y - 1u)], mm_bkk0 < mm_kend && mm_c0 + mm_bn0 + 3u < u[0].y));
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
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v000.x; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v000.y; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v000.z; }
  if (mm_row00 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row00) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v000.w; }
  let mm_row01 = mm_r0 + 0u + lid.y * 4u + 1u;
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v010.x; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v010.y; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v010.z; }
  if (mm_row01 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row01) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v010.w; }
  let mm_row02 = mm_r0 + 0u + lid.y * 4u + 2u;
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v020.x; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v020.y; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v020.z; }
  if (mm_row02 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row02) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v020.w; }
  let mm_row03 = mm_r0 + 0u + lid.y * 4u + 3u;
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v030.x; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v030.y; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v030.z; }
  if (mm_row03 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row03) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v030.w; }
  let mm_row10 = mm_r0 + 64u + lid.y * 4u + 0u;
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v100.x; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v100.y; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v100.z; }
  if (mm_row10 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row10) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v100.w; }
  let mm_row11 = mm_r0 + 64u + lid.y * 4u + 1u;
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v110.x; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v110.y; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v110.z; }
  if (mm_row11 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row11) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v110.w; }
  let mm_row12 = mm_r0 + 64u + lid.y * 4u + 2u;
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v120.x; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v120.y; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v120.z; }
  if (mm_row12 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row12) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v120.w; }
  let mm_row13 = mm_r0 + 64u + lid.y * 4u + 3u;
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 0u] = mm_v130.x; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 1u < u[0].y) { t13[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 1u] = mm_v130.y; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 2u < u[0].y) { t13[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 2u] = mm_v130.z; }
  if (mm_row13 < u[0].x && mm_c0 + 0u + lid.x * 4u + 3u < u[0].y) { t13[(mm_sb * u[0].x + mm_row13) * u[0].y + mm_c0 + 0u + lid.x * 4u + 3u] = mm_v130.w; }
}

// ===== div_o =====
// %16 = div %13, %15 : [B, 2, N, C/2]   (test.saga:17:1 output o)
@group(0) @binding(0) var<storage, read> t13: array<f32>;
@group(0) @binding(1) var<storage, read> t15: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  var r = i;
  let i1 = r % u[0].y;
  r = r / u[0].y;
  let i0 = r;
  let v0 = t13[i];
  let v1 = t15[i0];
  o[i] = v0 / v1;
}
