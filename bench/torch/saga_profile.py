"""Where PyTorch's time goes in the SAGA block (issue 5, target 2): for each PVT-T stage at one input
size, cuBLAS's float32 rate on the block's projection shape ([B·N, C] @ [C, C], TF32 off), and the
eager and torch.compile forwards under torch.profiler, their GPU kernel time split into matrix
products (GEMM kernels) and everything else.

    python3 bench/torch/saga_profile.py [--size 1280] [--batch 1,8] [--out FILE.json]

The matmul rate is what sagac's projections are up against: the block's six C×C projections are
most of its flops, so a fused block at 1.5× eager needs its flops at 1.5× eager's overall rate.
"""
import argparse, json, sys

import torch
from torch.profiler import ProfilerActivity, profile

from saga_bench import STAGES, params, saga_block, timed

GEMM = ("gemm", "Gemm", "GEMM", "cutlass", "sm90_xmma", "ampere_sgemm")


def kernel_times(fn, runs=5):
    """GPU kernel time per forward (ms), split into GEMM kernels and the rest, and the largest kernels."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(runs):
            fn()
        torch.cuda.synchronize()
    per = {}
    for ev in prof.events():
        if ev.device_type == torch.autograd.DeviceType.CUDA:
            per[ev.name] = per.get(ev.name, 0.0) + ev.device_time / 1000 / runs  # us -> ms, per forward
    gemm = sum(t for n, t in per.items() if any(g in n for g in GEMM))
    top = sorted(per.items(), key=lambda kv: -kv[1])[:6]
    return dict(total_ms=sum(per.values()), gemm_ms=gemm, other_ms=sum(per.values()) - gemm,
                top=[dict(name=n[:90], ms=t) for n, t in top])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1280)
    ap.add_argument("--batch", default="1,8")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.cuda.get_device_name()
    print(f"device: {dev}, torch {torch.__version__}, CUDA {torch.version.cuda}, float32, TF32 off")
    compiled = torch.compile(saga_block)
    rows = []
    for si, st in enumerate(STAGES):
        for B in map(int, args.batch.split(",")):
            H = W = args.size // st["stride"]
            N, C, h = H * W, st["C"], st["heads"]
            gen = torch.Generator(device="cuda").manual_seed(1)
            x = torch.rand(B, N, C, generator=gen, device="cuda") * 2 - 1
            p = params(C, gen)
            x2 = x.view(B * N, C)
            proj_flops = 2 * B * N * C * C
            block_flops = 6 * proj_flops + 2 * 2 * B * N * C * (C // h)  # six projections, S and q @ s
            with torch.no_grad():
                mm = timed(lambda: x2 @ p["w_q"], 20)["ms"]
                eager_ms = timed(lambda: saga_block(x, p, h), 20)["ms"]
                eager = kernel_times(lambda: saga_block(x, p, h))
                comp = kernel_times(lambda: compiled(x, p, h))
            row = dict(size=args.size, stage=si + 1, N=N, C=C, heads=h, B=B, projection_ms=mm,
                       projection_tflops=proj_flops / mm / 1e9, block_gflop=block_flops / 1e9,
                       eager_ms=eager_ms, eager=eager, compile=comp)
            rows.append(row)
            print(f"{args.size}² s{si + 1} B{B}: x @ w ({B * N}×{C} @ {C}×{C}) {mm:.3f} ms = {row['projection_tflops']:.1f} TFLOP/s; "
                  f"eager {eager_ms:.3f} ms, kernels {eager['total_ms']:.3f} (GEMM {eager['gemm_ms']:.3f}, rest {eager['other_ms']:.3f}); "
                  f"compile kernels {comp['total_ms']:.3f} (GEMM {comp['gemm_ms']:.3f}, rest {comp['other_ms']:.3f}); "
                  f"block {row['block_gflop']:.1f} GFLOP", flush=True)
            for k in eager["top"][:3]:
                print(f"    eager {k['ms']:.3f} ms {k['name']}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(dict(device=dev, torch=torch.__version__, cuda=torch.version.cuda, rows=rows), f, indent=1)
        print("wrote", args.out)


if __name__ == "__main__":
    sys.exit(main())
