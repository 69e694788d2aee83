"""PyTorch CPU baseline for bench/inr/bench.ts: fits the SIRENs the bench wrote (same images, same initial
weights, same Adam settings and step count, no early stop) and prints one JSON line with INR-steps/s and the
PSNR of each fitted network.

Maths, as in src/core/inr/backend.ts: f(x) = W_L h_L + b_L + offset, h_{l+1} = sin(w0 (W_l h_l + b_l));
loss = MSE over pixels (and channels); torch.optim.Adam (bias-corrected); PSNR = 10 log10(1 / MSE).

Modes: 'loop' fits one network at a time (nn.Linear-style addmm); 'bmm' fits all B networks at once with
batched matrix products (sum of the per-network MSEs, so each network gets its own gradient; Adam is
elementwise, so this is B independent fits). Threads are set with torch.set_num_threads. --device cuda runs
on the GPU (where PyTorch has CUDA), timed after torch.cuda.synchronize().

    /usr/bin/python3 bench/inr/torch_fit.py DATA_DIR --mode loop|bmm --threads N [--device cpu|cuda]
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch


def load(data_dir):
    with open(os.path.join(data_dir, "manifest.json")) as f:
        manifest = json.load(f)
    read = lambda name: np.fromfile(os.path.join(data_dir, name), dtype="<f4")
    n, pixels = manifest["networks"], manifest["pixels"]
    widths = [manifest["spec"]["inputDim"], *manifest["spec"]["hidden"], manifest["spec"]["outputDim"]]
    coords = torch.from_numpy(read("coords.f32").reshape(pixels, widths[0]))
    targets = torch.from_numpy(read("targets.f32").reshape(n, pixels, widths[-1]))
    flat = read("init.f32").reshape(n, -1)
    layers = []  # per layer: W (n, out, in), b (n, out), state-dict order W_0, b_0, W_1, ...
    at = 0
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        W = flat[:, at : at + fan_out * fan_in].reshape(n, fan_out, fan_in)
        b = flat[:, at + fan_out * fan_in : at + fan_out * (fan_in + 1)]
        layers.append((torch.from_numpy(W.copy()), torch.from_numpy(b.copy())))
        at += fan_out * (fan_in + 1)
    return manifest, coords, targets, layers


def adam(params, m):
    return torch.optim.Adam(params, lr=m["lr"], betas=(m["beta1"], m["beta2"]), eps=m["eps"], foreach=True)


def fit_loop(manifest, coords, targets, layers, steps):
    """One network at a time; returns the MSE of each network's final weights."""
    spec = manifest["spec"]
    mses = []
    for k in range(targets.shape[0]):
        params = [p for W, b in layers for p in (W[k].clone().requires_grad_(), b[k].clone().requires_grad_())]
        opt = adam(params, manifest)

        def loss_fn():
            h = coords
            for l in range(0, len(params), 2):
                h = torch.addmm(params[l + 1], h, params[l].t())
                if l + 2 < len(params):
                    h = torch.sin(spec["w0"] * h)
            return torch.mean((h + spec["outputOffset"] - targets[k]) ** 2)

        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            loss_fn().backward()
            opt.step()
        with torch.no_grad():
            mses.append(loss_fn().item())
    return mses


def fit_bmm(manifest, coords, targets, layers, steps):
    """All networks at once with batched matrix products; returns the MSE of each network's final weights."""
    spec = manifest["spec"]
    n = targets.shape[0]
    params = [p for W, b in layers for p in (W.clone().requires_grad_(), b.clone().unsqueeze(1).requires_grad_())]
    opt = adam(params, manifest)
    x = coords.expand(n, *coords.shape)

    def per_network_mse():
        h = x
        for l in range(0, len(params), 2):
            h = torch.baddbmm(params[l + 1], h, params[l].transpose(1, 2))
            if l + 2 < len(params):
                h = torch.sin(spec["w0"] * h)
        return torch.mean((h + spec["outputOffset"] - targets) ** 2, dim=(1, 2))

    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        per_network_mse().sum().backward()
        opt.step()
    with torch.no_grad():
        return per_network_mse().tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("--mode", choices=["loop", "bmm"], required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    manifest, coords, targets, layers = load(args.data_dir)
    device = torch.device(args.device)
    coords, targets = coords.to(device), targets.to(device)
    layers = [(W.to(device), b.to(device)) for W, b in layers]
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    fit = fit_loop if args.mode == "loop" else fit_bmm
    fit(manifest, coords, targets[:1], [(W[:1], b[:1]) for W, b in layers], 10)  # warm-up: allocator, thread pool
    sync()
    start = time.perf_counter()
    mses = fit(manifest, coords, targets, layers, manifest["steps"])
    sync()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "stepsPerSecond": targets.shape[0] * manifest["steps"] / seconds,
        "psnr": [10 * math.log10(1 / m) for m in mses],
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
