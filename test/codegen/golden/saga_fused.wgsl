// ===== matmul_t9 =====
// %9 = matmul %0, %1 : [B, N, C]   (saga.saga:20)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_q: array<f32>;
@group(0) @binding(2) var<storage, read_write> t9: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  let mm_bo = 0u;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = x[mm_a + mm_arow * u[0].y + mm_akk]; }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = w_q[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t9[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t9[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t9[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t9[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t9[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t9[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t9[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t9[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t9[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t9[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t9[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t9[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t9[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== matmul_t12 =====
// %12 = matmul %0, %2 : [B, N, C]   (saga.saga:21)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_k: array<f32>;
@group(0) @binding(2) var<storage, read_write> t12: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  let mm_bo = 0u;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = x[mm_a + mm_arow * u[0].y + mm_akk]; }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = w_k[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t12[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t12[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t12[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t12[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t12[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t12[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t12[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t12[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t12[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t12[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t12[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t12[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t12[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t12[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t12[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t12[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== matmul_t15 =====
// %15 = matmul %0, %3 : [B, N, C]   (saga.saga:22)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_v: array<f32>;
@group(0) @binding(2) var<storage, read_write> t15: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  let mm_bo = 0u;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = x[mm_a + mm_arow * u[0].y + mm_akk]; }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = w_v[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t15[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t15[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t15[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t15[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t15[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t15[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t15[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t15[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t15[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t15[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t15[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t15[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t15[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t15[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t15[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t15[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== matmul_t17 =====
// %17 = matmul %0, %4 : [B, N, C]   (saga.saga:23)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_a: array<f32>;
@group(0) @binding(2) var<storage, read_write> t17: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  let mm_bo = 0u;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = x[mm_a + mm_arow * u[0].y + mm_akk]; }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = w_a[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t17[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t17[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t17[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t17[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t17[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t17[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t17[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t17[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t17[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t17[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t17[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t17[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t17[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t17[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t17[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t17[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== matmul_t21 =====
// %21 = matmul %0, %6 : [B, N, C]   (saga.saga:24)
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w_b: array<f32>;
@group(0) @binding(2) var<storage, read_write> t21: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i0 = r;
  let mm_a = mm_b * u[0].w;
  let mm_bo = 0u;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = x[mm_a + mm_arow * u[0].y + mm_akk]; }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = w_b[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t21[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t21[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t21[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t21[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t21[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t21[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t21[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t21[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t21[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t21[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t21[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t21[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t21[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t21[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t21[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t21[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== outer_mean_s_partial =====
// %27 = outer_mean %25, %26 : [B, 2, d, d]   (saga.saga:26 let s)
// %28 = mean %25, axis=2, keep : [B, 2, 1, d]   (saga.saga:27 let z)
@group(0) @binding(0) var<storage, read> t17: array<f32>;
@group(0) @binding(1) var<storage, read> b_a: array<f32>;
@group(0) @binding(2) var<storage, read> t12: array<f32>;
@group(0) @binding(3) var<storage, read> t21: array<f32>;
@group(0) @binding(4) var<storage, read> b_b: array<f32>;
@group(0) @binding(5) var<storage, read> t15: array<f32>;
@group(0) @binding(6) var<storage, read_write> s_partial: array<f32>;
@group(0) @binding(7) var<storage, read_write> z_partial: array<f32>;
@group(0) @binding(8) var<uniform> u: array<vec4<u32>, 2>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

fn saga_sigmoid(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

fn ld_t17_buf(c0: u32, c1: u32, c2: u32) -> f32 {
  return t17[c0 * u[0].w + c1 * u[1].x + c2];
}

fn ld_b_a_buf(c0: u32) -> f32 {
  return b_a[c0];
}

fn ld_t18(c0: u32, c1: u32, c2: u32) -> f32 {
  let lhs = ld_t17_buf(c0, c1, c2);
  let rhs = ld_b_a_buf(c2);
  return lhs + rhs;
}

fn ld_t19(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return ld_t18(c0, c2, c1 * u[0].x + c3);
}

fn ld_a(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let arg = ld_t19(c0, c1, c2, c3);
  return saga_sigmoid(arg);
}

fn ld_t12_buf(c0: u32, c1: u32, c2: u32) -> f32 {
  return t12[c0 * u[0].w + c1 * u[1].x + c2];
}

fn ld_t13(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return ld_t12_buf(c0, c2, c1 * u[0].x + c3);
}

fn ld_k(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let arg = ld_t13(c0, c1, c2, c3);
  return select(0.0, arg, arg > 0.0);
}

fn ld_t25(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let lhs = ld_a(c0, c1, c2, c3);
  let rhs = ld_k(c0, c1, c2, c3);
  return lhs * rhs;
}

fn ld_t21_buf(c0: u32, c1: u32, c2: u32) -> f32 {
  return t21[c0 * u[0].w + c1 * u[1].x + c2];
}

fn ld_b_b_buf(c0: u32) -> f32 {
  return b_b[c0];
}

fn ld_t22(c0: u32, c1: u32, c2: u32) -> f32 {
  let lhs = ld_t21_buf(c0, c1, c2);
  let rhs = ld_b_b_buf(c2);
  return lhs + rhs;
}

fn ld_t23(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return ld_t22(c0, c2, c1 * u[0].x + c3);
}

fn ld_b(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let arg = ld_t23(c0, c1, c2, c3);
  return saga_sigmoid(arg);
}

fn ld_t15_buf(c0: u32, c1: u32, c2: u32) -> f32 {
  return t15[c0 * u[0].w + c1 * u[1].x + c2];
}

fn ld_v(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return ld_t15_buf(c0, c2, c1 * u[0].x + c3);
}

fn ld_t26(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let lhs = ld_b(c0, c1, c2, c3);
  let rhs = ld_v(c0, c1, c2, c3);
  return lhs * rhs;
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z * 32u) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb % u[0].z;
  let mm_kchunk = (u[0].y + 31u) / 32u;
  let mm_kbegin = (mm_sb / u[0].z) * mm_kchunk;
  let mm_kend = min(u[0].y, mm_kbegin + mm_kchunk);
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i1 = r % 2u;
  r = r / 2u;
  let i0 = r;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  var rd_acc = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i % 64u;
      let mm_ak = mm_i / 64u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = ld_t25(i0, i1, mm_akk, mm_arow); }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].x) { mm_bv = ld_t26(i0, i1, mm_bkk, mm_bcol); }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    if (wid.x == 0u && lidx < 64u) {
      for (var rd_p = 0u; rd_p < 16u; rd_p = rd_p + 1u) {
        let rd_k = mm_k0 + rd_p;
        if (rd_k < mm_kend) { rd_acc = rd_acc + mm_ta[rd_p * 64u + lidx]; }
      }
    }
    workgroupBarrier();
  }
  let rd_row = mm_r0 + lidx;
  if (wid.x == 0u && lidx < 64u && rd_row < u[0].x) { z_partial[mm_sb * u[0].x + rd_row] = rd_acc; }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row0) * u[0].x + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row0) * u[0].x + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row0) * u[0].x + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row0) * u[0].x + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row1) * u[0].x + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row1) * u[0].x + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row1) * u[0].x + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row1) * u[0].x + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row2) * u[0].x + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row2) * u[0].x + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row2) * u[0].x + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row2) * u[0].x + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row3) * u[0].x + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row3) * u[0].x + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row3) * u[0].x + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].x) { s_partial[(mm_sb * u[0].x + mm_row3) * u[0].x + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== outer_mean_s =====
// %27 = outer_mean %25, %26 : [B, 2, d, d]   (saga.saga:26 let s)
@group(0) @binding(0) var<storage, read> s_partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> s: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let rd_p = (i / u[0].x) * 32u * u[0].x + i % u[0].x;
  var acc = 0.0;
  for (var rd_r = 0u; rd_r < 32u; rd_r = rd_r + 1u) {
    acc = acc + s_partial[rd_p + rd_r * u[0].x];
  }
  s[i] = acc / f32(u[0].y);
}

// ===== mean_z =====
// %28 = mean %25, axis=2, keep : [B, 2, 1, d]   (saga.saga:27 let z)
@group(0) @binding(0) var<storage, read> z_partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> z: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let rd_p = (i / u[0].x) * 32u * u[0].x + i % u[0].x;
  var acc = 0.0;
  for (var rd_r = 0u; rd_r < 32u; rd_r = rd_r + 1u) {
    acc = acc + z_partial[rd_p + rd_r * u[0].x];
  }
  z[i] = acc / f32(u[0].y);
}

// ===== matmul_t31 =====
// %31 = matmul %11, %27 : [B, 2, N, d]   (saga.saga:29)
// %30 = sum %29, axis=3, keep : [B, 2, N, 1]   (saga.saga:28 let den)
@group(0) @binding(0) var<storage, read> s: array<f32>;
@group(0) @binding(1) var<storage, read> t9: array<f32>;
@group(0) @binding(2) var<storage, read> z: array<f32>;
@group(0) @binding(3) var<storage, read_write> t31: array<f32>;
@group(0) @binding(4) var<storage, read_write> den: array<f32>;
@group(0) @binding(5) var<uniform> u: array<vec4<u32>, 2>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

fn ld_t9_buf(c0: u32, c1: u32, c2: u32) -> f32 {
  return t9[c0 * u[1].x + c1 * u[1].y + c2];
}

fn ld_t10(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return ld_t9_buf(c0, c2, c1 * u[0].y + c3);
}

fn ld_q(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let arg = ld_t10(c0, c1, c2, c3);
  return select(0.0, arg, arg > 0.0);
}

fn ld_z_buf(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return z[c0 * u[1].y + c1 * u[0].y + c3];
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i1 = r % 2u;
  r = r / 2u;
  let i0 = r;
  let mm_bo = mm_b * u[0].w;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  var rd_acc = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = ld_q(i0, i1, mm_arow, mm_akk); }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = s[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    if (wid.x == 0u && lidx < 64u) {
      for (var rd_p = 0u; rd_p < 16u; rd_p = rd_p + 1u) {
        let rd_k = mm_k0 + rd_p;
        if (rd_k < mm_kend) { rd_acc = rd_acc + mm_ta[rd_p * 64u + lidx] * ld_z_buf(i0, i1, 0u, rd_k); }
      }
    }
    workgroupBarrier();
  }
  let rd_row = mm_r0 + lidx;
  if (wid.x == 0u && lidx < 64u && rd_row < u[0].x) { den[mm_sb * u[0].x + rd_row] = rd_acc; }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t31[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t31[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t31[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t31[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t31[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t31[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t31[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t31[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t31[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t31[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t31[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t31[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t31[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t31[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t31[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t31[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== matmul_y =====
// %36 = matmul %35, %8 : [B, N, C]   (saga.saga:30 output y)
@group(0) @binding(0) var<storage, read> w_o: array<f32>;
@group(0) @binding(1) var<storage, read> t31: array<f32>;
@group(0) @binding(2) var<storage, read> den: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> u: array<vec4<u32>, 2>;
var<workgroup> mm_ta: array<f32, 1024>;
var<workgroup> mm_tb: array<f32, 1024>;

fn ld_t31_buf(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return t31[c0 * u[1].x + c1 * u[1].y + c2 * u[0].w + c3];
}

fn ld_den_buf(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  return den[c0 * u[1].z + c1 * u[0].x + c2];
}

fn ld_t33(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let lhs = ld_den_buf(c0, c1, c2, c3);
  let rhs = 0.000001f;
  return lhs + rhs;
}

fn ld_o(c0: u32, c1: u32, c2: u32, c3: u32) -> f32 {
  let lhs = ld_t31_buf(c0, c1, c2, c3);
  let rhs = ld_t33(c0, c1, c2, 0u);
  return lhs / rhs;
}

fn ld_t35(c0: u32, c1: u32, c2: u32) -> f32 {
  return ld_o(c0, c2 / u[0].w, c1, c2 % u[0].w);
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let mm_tiles = (u[0].x + 63u) / 64u;
  let mm_t = wid.z * nwg.y + wid.y;
  if (mm_t >= mm_tiles * u[0].z) { return; }
  let mm_sb = mm_t / mm_tiles;
  let mm_b = mm_sb;
  let mm_kbegin = 0u;
  let mm_kend = u[0].y;
  let mm_r0 = (mm_t % mm_tiles) * 64u;
  let mm_c0 = wid.x * 64u;
  var r = mm_b;
  let i0 = r;
  let mm_bo = 0u;
  var mm_c00 = 0.0;
  var mm_c01 = 0.0;
  var mm_c02 = 0.0;
  var mm_c03 = 0.0;
  var mm_c10 = 0.0;
  var mm_c11 = 0.0;
  var mm_c12 = 0.0;
  var mm_c13 = 0.0;
  var mm_c20 = 0.0;
  var mm_c21 = 0.0;
  var mm_c22 = 0.0;
  var mm_c23 = 0.0;
  var mm_c30 = 0.0;
  var mm_c31 = 0.0;
  var mm_c32 = 0.0;
  var mm_c33 = 0.0;
  for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + 16u) {
    for (var mm_e = 0u; mm_e < 4u; mm_e = mm_e + 1u) {
      let mm_i = lidx + mm_e * 256u;
      let mm_am = mm_i / 16u;
      let mm_ak = mm_i % 16u;
      let mm_arow = mm_r0 + mm_am;
      let mm_akk = mm_k0 + mm_ak;
      var mm_av = 0.0;
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = ld_t35(i0, mm_arow, mm_akk); }
      mm_ta[mm_ak * 64u + mm_am] = mm_av;
      let mm_bk = mm_i / 64u;
      let mm_bn = mm_i % 64u;
      let mm_bkk = mm_k0 + mm_bk;
      let mm_bcol = mm_c0 + mm_bn;
      var mm_bv = 0.0;
      if (mm_bkk < mm_kend && mm_bcol < u[0].y) { mm_bv = w_o[mm_bo + mm_bkk * u[0].y + mm_bcol]; }
      mm_tb[mm_bk * 64u + mm_bn] = mm_bv;
    }
    workgroupBarrier();
    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {
      let mm_ra0 = mm_ta[mm_p * 64u + lid.y + 0u];
      let mm_ra1 = mm_ta[mm_p * 64u + lid.y + 16u];
      let mm_ra2 = mm_ta[mm_p * 64u + lid.y + 32u];
      let mm_ra3 = mm_ta[mm_p * 64u + lid.y + 48u];
      let mm_rb0 = mm_tb[mm_p * 64u + lid.x + 0u];
      let mm_rb1 = mm_tb[mm_p * 64u + lid.x + 16u];
      let mm_rb2 = mm_tb[mm_p * 64u + lid.x + 32u];
      let mm_rb3 = mm_tb[mm_p * 64u + lid.x + 48u];
      mm_c00 = mm_c00 + mm_ra0 * mm_rb0;
      mm_c01 = mm_c01 + mm_ra0 * mm_rb1;
      mm_c02 = mm_c02 + mm_ra0 * mm_rb2;
      mm_c03 = mm_c03 + mm_ra0 * mm_rb3;
      mm_c10 = mm_c10 + mm_ra1 * mm_rb0;
      mm_c11 = mm_c11 + mm_ra1 * mm_rb1;
      mm_c12 = mm_c12 + mm_ra1 * mm_rb2;
      mm_c13 = mm_c13 + mm_ra1 * mm_rb3;
      mm_c20 = mm_c20 + mm_ra2 * mm_rb0;
      mm_c21 = mm_c21 + mm_ra2 * mm_rb1;
      mm_c22 = mm_c22 + mm_ra2 * mm_rb2;
      mm_c23 = mm_c23 + mm_ra2 * mm_rb3;
      mm_c30 = mm_c30 + mm_ra3 * mm_rb0;
      mm_c31 = mm_c31 + mm_ra3 * mm_rb1;
      mm_c32 = mm_c32 + mm_ra3 * mm_rb2;
      mm_c33 = mm_c33 + mm_ra3 * mm_rb3;
    }
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { y[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { y[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { y[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { y[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { y[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { y[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { y[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { y[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { y[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { y[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { y[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { y[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { y[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { y[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { y[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { y[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}
