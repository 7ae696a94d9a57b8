// ===== outer_g =====
// %5 = outer %3, %4 : [B, 2, N, C/2, C/2]   (test.saga:6 let g)
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> g: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
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
// %6 = outer %1, %2 : [B, 2, N, C/2, C/2]   (test.saga:7)
@group(0) @binding(0) var<storage, read> k: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> t6: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
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
// %7 = mul %5, %6 : [B, 2, N, C/2, C/2]   (test.saga:8)
@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read> t6: array<f32>;
@group(0) @binding(2) var<storage, read_write> t7: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let v0 = g[i];
  let v1 = t6[i];
  t7[i] = v0 * v1;
}

// ===== sum_s =====
// %8 = sum %7, axis=2 : [B, 2, C/2, C/2]   (test.saga:9 let s)
@group(0) @binding(0) var<storage, read> t7: array<f32>;
@group(0) @binding(1) var<storage, read_write> s: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> rd_sh: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let rd_o = wid.y * nwg.x + wid.x;
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

// ===== mul_t9 =====
// %9 = mul %3, %1 : [B, 2, N, C/2]   (test.saga:10)
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> t9: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let v0 = a[i];
  let v1 = k[i];
  t9[i] = v0 * v1;
}

// ===== sum_z =====
// %10 = sum %9, axis=2, keep : [B, 2, 1, C/2]   (test.saga:11 let z)
@group(0) @binding(0) var<storage, read> t9: array<f32>;
@group(0) @binding(1) var<storage, read_write> z: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;
var<workgroup> rd_sh: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let rd_o = wid.y * nwg.x + wid.x;
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
// %11 = mul %0, %10 : [B, 2, N, C/2]   (test.saga:12)
@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read_write> t11: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
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
// %12 = sum %11, axis=3, keep : [B, 2, N, 1]   (test.saga:13 let den)
@group(0) @binding(0) var<storage, read> t11: array<f32>;
@group(0) @binding(1) var<storage, read_write> den: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].y) { return; }
  let rd_p = i * u[0].x;
  var acc = 0.0;
  for (var rd_r = 0u; rd_r < u[0].x; rd_r = rd_r + 1u) {
    acc = acc + t11[rd_p + rd_r];
  }
  den[i] = acc;
}

// ===== matmul_t13 =====
// %13 = matmul %0, %8 : [B, 2, N, C/2]   (test.saga:14)
@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> s: array<f32>;
@group(0) @binding(2) var<storage, read_write> t13: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 2>;
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
  let mm_a = mm_b * u[0].w;
  let mm_bo = mm_b * u[1].x;
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
      if (mm_arow < u[0].x && mm_akk < mm_kend) { mm_av = q[mm_a + mm_arow * u[0].y + mm_akk]; }
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
    workgroupBarrier();
  }
  let mm_row0 = mm_r0 + lid.y + 0u;
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 0u] = mm_c00; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t13[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 16u] = mm_c01; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t13[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 32u] = mm_c02; }
  if (mm_row0 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t13[(mm_sb * u[0].x + mm_row0) * u[0].y + mm_c0 + lid.x + 48u] = mm_c03; }
  let mm_row1 = mm_r0 + lid.y + 16u;
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 0u] = mm_c10; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t13[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 16u] = mm_c11; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t13[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 32u] = mm_c12; }
  if (mm_row1 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t13[(mm_sb * u[0].x + mm_row1) * u[0].y + mm_c0 + lid.x + 48u] = mm_c13; }
  let mm_row2 = mm_r0 + lid.y + 32u;
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 0u] = mm_c20; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t13[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 16u] = mm_c21; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t13[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 32u] = mm_c22; }
  if (mm_row2 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t13[(mm_sb * u[0].x + mm_row2) * u[0].y + mm_c0 + lid.x + 48u] = mm_c23; }
  let mm_row3 = mm_r0 + lid.y + 48u;
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 0u < u[0].y) { t13[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 0u] = mm_c30; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 16u < u[0].y) { t13[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 16u] = mm_c31; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 32u < u[0].y) { t13[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 32u] = mm_c32; }
  if (mm_row3 < u[0].x && mm_c0 + lid.x + 48u < u[0].y) { t13[(mm_sb * u[0].x + mm_row3) * u[0].y + mm_c0 + lid.x + 48u] = mm_c33; }
}

// ===== add_t15 =====
// %15 = add %12, %14 : [B, 2, N, 1]   (test.saga:16)
@group(0) @binding(0) var<storage, read> den: array<f32>;
@group(0) @binding(1) var<storage, read_write> t15: array<f32>;
@group(0) @binding(2) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  let v0 = den[i];
  let v1 = 0.000001f;
  t15[i] = v0 + v1;
}

// ===== div_o =====
// %16 = div %13, %15 : [B, 2, N, C/2]   (test.saga:17 output o)
@group(0) @binding(0) var<storage, read> t13: array<f32>;
@group(0) @binding(1) var<storage, read> t15: array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lidx;
  if (i >= u[0].x) { return; }
  var r = i;
  let i1 = r % u[0].y;
  r = r / u[0].y;
  let i0 = r;
  let v0 = t13[i];
  let v1 = t15[i0];
  o[i] = v0 / v1;
}
