"""PyTorch peers for `npm run bench` (issue 5): the SAGA block of examples/saga.saga in eager
PyTorch and under torch.compile, PVT-T's spatial-reduction softmax attention block (SRA) and
plain softmax attention through scaled_dot_product_attention, at PVT-T's stage sizes.

float32 with TF32 off (plus a bf16 note for the SAGA arms). Times: CUDA events around one forward,
median of --repeat runs after warm-up. Memory: torch.cuda.max_memory_allocated during a forward,
minus what was allocated before it (inputs and weights), plus inputs and weights.

With --check DIR it also reads the tensors sagac wrote (bench/run.ts --dump DIR: x, the params
and sagac's fused output y) and reports the max relative error of PyTorch's SAGA against them.
"""
import argparse, json, math, os, struct, sys, time

import torch
import torch.nn.functional as F

STAGES = [dict(C=64, heads=1, stride=4, sr=8), dict(C=128, heads=2, stride=8, sr=4),
          dict(C=320, heads=5, stride=16, sr=2), dict(C=512, heads=8, stride=32, sr=1)]


def read_safetensors(path):
    """A minimal reader (F32 only): 8-byte little-endian header length, JSON header, data."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", e
        b, en = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[b:en]), dtype=torch.float32).reshape(e["shape"])
    return out


def saga_block(x, p, heads, eps=1e-6):
    """examples/saga.saga: relu feature map, sigmoid gates, decomposed gated state, normaliser N1."""
    B, N, C = x.shape
    d = C // heads
    split = lambda t: t.view(B, N, heads, d).transpose(1, 2)  # [B, h, N, d]
    q = F.relu(split(x @ p["w_q"]))
    k = F.relu(split(x @ p["w_k"]))
    v = split(x @ p["w_v"])
    a = torch.sigmoid(split(x @ p["w_a"] + p["b_a"]))
    b = torch.sigmoid(split(x @ p["w_b"] + p["b_b"]))
    ak = a * k
    s = (ak.transpose(-1, -2) @ (b * v)) / N          # mean_j (a⊙k)_j (b⊙v)_jᵀ: [B, h, d, d]
    z = ak.mean(dim=2, keepdim=True)                  # [B, h, 1, d]
    den = (q * z).sum(dim=-1, keepdim=True)           # [B, h, N, 1]
    o = (q @ s) / (den + eps)
    return o.transpose(1, 2).reshape(B, N, C) @ p["w_o"]


class SRA(torch.nn.Module):
    """PVT's spatial-reduction attention: K/V from the sr×sr-strided, layer-normed token grid."""

    def __init__(self, C, heads, sr):
        super().__init__()
        self.heads, self.sr = heads, sr
        self.q = torch.nn.Linear(C, C)
        self.kv = torch.nn.Linear(C, 2 * C)
        self.proj = torch.nn.Linear(C, C)
        if sr > 1:
            self.reduce = torch.nn.Conv2d(C, C, sr, sr)
            self.norm = torch.nn.LayerNorm(C)

    def forward(self, x, H, W):
        B, N, C = x.shape
        h, d = self.heads, C // self.heads
        q = self.q(x).view(B, N, h, d).transpose(1, 2)
        if self.sr > 1:
            r = self.reduce(x.transpose(1, 2).reshape(B, C, H, W)).reshape(B, C, -1).transpose(1, 2)
            r = self.norm(r)
        else:
            r = x
        kv = self.kv(r).view(B, -1, 2, h, d).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(q, kv[0], kv[1])
        return self.proj(o.transpose(1, 2).reshape(B, N, C))


def timed(fn, repeat):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(repeat):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        fn()
        e.record()
        torch.cuda.synchronize()
        times.append(s.elapsed_time(e))
    times.sort()
    return dict(ms=times[len(times) // 2], spread=[times[0], times[-1]], peak_bytes=torch.cuda.max_memory_allocated() - base + base_bytes[0])


base_bytes = [0]


def params(C, gen):
    w = lambda *s: (torch.rand(*s, generator=gen, device="cuda") * 2 - 1) / math.sqrt(s[0])
    return {"w_q": w(C, C), "w_k": w(C, C), "w_v": w(C, C), "w_a": w(C, C), "w_b": w(C, C), "w_o": w(C, C),
            "b_a": (torch.rand(C, generator=gen, device="cuda") - 0.5), "b_b": (torch.rand(C, generator=gen, device="cuda") - 0.5)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="224,512,1024,1280")
    ap.add_argument("--batch", default="1,8")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--check", default=None)
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.cuda.get_device_name()
    print(f"device: {dev}, torch {torch.__version__}, CUDA {torch.version.cuda}")

    if args.check:
        for f in sorted(os.listdir(args.check)):
            if not f.endswith(".safetensors"):
                continue
            t = {k: v.cuda() for k, v in read_safetensors(os.path.join(args.check, f)).items()}
            heads = int(f.split("_h")[1].split(".")[0])
            with torch.no_grad():
                y = saga_block(t["x"].double(), {k: v.double() for k, v in t.items()}, heads)
            ref = y.float()
            err = ((t["y"] - ref).abs().max() / ref.abs().max()).item()
            print(f"check {f}: sagac fused vs PyTorch (float64 maths), max relative error {err:.2e}")

    rows = []
    print("size stage      N    C  h  B | saga eager  saga compile  saga bf16 |   SRA ms | SDPA ms | eager MB  SRA MB")
    compiled = torch.compile(saga_block)  # recompiles once, then treats the sizes as dynamic
    for R in map(int, args.sizes.split(",")):
        for si, st in enumerate(STAGES):
            for B in map(int, args.batch.split(",")):
                H = W = R // st["stride"]
                N, C, h = H * W, st["C"], st["heads"]
                gen = torch.Generator(device="cuda").manual_seed(1)
                x = torch.rand(B, N, C, generator=gen, device="cuda") * 2 - 1
                p = params(C, gen)
                base_bytes[0] = (x.numel() + sum(v.numel() for v in p.values())) * 4
                row = dict(size=R, stage=si + 1, N=N, C=C, heads=h, B=B)
                with torch.no_grad():
                    row["saga_eager"] = timed(lambda: saga_block(x, p, h), args.repeat)
                    row["saga_compile"] = timed(lambda: compiled(x, p, h), args.repeat)
                    xb, pb = x.bfloat16(), {k: v.bfloat16() for k, v in p.items()}
                    row["saga_bf16"] = timed(lambda: saga_block(xb, pb, h), args.repeat)
                    sra = SRA(C, h, st["sr"]).cuda().eval()
                    base_bytes[0] = x.numel() * 4 + sum(q.numel() for q in sra.parameters()) * 4
                    row["sra"] = timed(lambda: sra(x, H, W), args.repeat)
                    try:
                        full = SRA(C, h, 1).cuda().eval()
                        row["sdpa"] = timed(lambda: full(x, H, W), args.repeat)
                    except torch.OutOfMemoryError:
                        row["sdpa"] = None
                        torch.cuda.empty_cache()
                rows.append(row)
                g = lambda k: f"{row[k]['ms']:.2f}" if row.get(k) else "—"
                print(f"{R:4d}  {si + 1}  {N:9d} {C:4d} {h} {B:2d} | {g('saga_eager'):>10} {g('saga_compile'):>13} {g('saga_bf16'):>10} | {g('sra'):>8} {g('sdpa'):>8} | "
                      f"{row['saga_eager']['peak_bytes'] / 1e6:8.1f} {row['sra']['peak_bytes'] / 1e6:7.1f}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    name = f"torch-{dev.replace(' ', '-')}-{time.strftime('%Y-%m-%d')}.json"
    with open(os.path.join(args.out, name), "w") as f:
        json.dump(dict(device=dev, torch=torch.__version__, cuda=torch.version.cuda, rows=rows), f, indent=1)
    print("wrote", name)


if __name__ == "__main__":
    sys.exit(main())
