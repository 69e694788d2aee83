"""PyTorch CPU baseline of `npm run bench:train`: training throughput (weight sets per second) of the
NFN-NP and DWSNet-style models of torch_models.py — the same architectures as ours — on random batches of
the MNIST INR shape (widths 2-32-32-1, P = 1185), one training step as our trainer does it:
    zero_grad -> forward -> soft cross-entropy -> backward -> torch.optim.AdamW step
    -> read the loss and the number of correct predictions (.item(), like our dataSync)
Warm-up steps (--warmup seconds the first time a session is measured, one step after) are excluded. Float32, torch.set_num_threads(threads).

Standalone, one measurement printed as a JSON line:
    /usr/bin/python3 bench/train/torch_bench.py --kind dwsnet --batch 32 --threads 1 [--seconds 1]
Served (how bench/train/bench.ts interleaves it with ours): --serve reads one JSON request per line on stdin,
{"model" (our ModelConfig, kind included), "batch", "threads", "seconds", "minSteps"}, and answers each with one JSON line; models, optimizers
and batches are built (and warmed up) on first use and kept, so every request measures warm steps.
Both modes print {"kind", "batch", "threads", "steps", "seconds", "setsPerSec", "setsPerCpuSec" (per second
of the process's CPU time, all threads), "parameters", "torch"}.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.dont_write_bytecode = True  # no __pycache__ beside the bench in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import WeightSpaceModel, soft_cross_entropy  # noqa: E402



class Session:
    """One model + AdamW + fixed random batch for a (kind, batch) pair."""

    def __init__(self, args, model, batch):
        self.model = WeightSpaceModel(model, args.widths, args.classes, seed=args.seed)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=args.weight_decay)
        generator = torch.Generator().manual_seed(args.seed + batch)
        P = sum(out * (inp + 1) for inp, out in zip(args.widths[:-1], args.widths[1:]))
        self.x = torch.randn(batch, P, generator=generator)
        labels = torch.randint(0, args.classes, (batch,), generator=generator)
        self.targets = torch.nn.functional.one_hot(labels, args.classes).float()
        self.warm = set()

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.model(self.x)
        loss = soft_cross_entropy(logits, self.targets)
        loss.backward()
        self.optimizer.step()
        hits = (logits.detach().argmax(1) == self.targets.argmax(1)).sum()
        return loss.item(), hits.item()


def measure(sessions, args, model, batch, threads, seconds, min_steps):
    torch.set_num_threads(threads)
    kind = model["kind"]
    key = (json.dumps(model, sort_keys=True), batch)
    if key not in sessions:
        sessions[key] = Session(args, model, batch)
    session = sessions[key]
    # Warm-up: --warmup seconds of steps the first time (as bench.ts gives ours), one step after.
    warm_start = time.perf_counter()
    while True:
        session.step()
        if threads in session.warm or time.perf_counter() - warm_start >= args.warmup:
            break
    session.warm.add(threads)
    steps = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while True:
        session.step()
        steps += 1
        elapsed = time.perf_counter() - start
        if steps >= min_steps and elapsed >= seconds:
            break
    cpu = time.process_time() - cpu_start
    return {
        "kind": kind,
        "batch": batch,
        "threads": threads,
        "steps": steps,
        "seconds": elapsed,
        "setsPerSec": steps * batch / elapsed,
        "setsPerCpuSec": steps * batch / cpu,
        "parameters": session.model.parameter_count(),
        "torch": torch.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true", help="answer JSON requests on stdin, one per line")
    parser.add_argument("--kind", choices=["nfn-np", "dwsnet", "gnn", "statnn", "mlp"], default="dwsnet")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=1.0, help="time each measurement at least this long")
    parser.add_argument("--min-steps", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up steps before a session's first measurement")
    parser.add_argument("--widths", type=lambda s: [int(v) for v in s.split(",")], default=[2, 32, 32, 1])
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--model", default='{"hidden": 16, "layers": 3, "headHidden": 64, "norm": "batch", "pool": "max", "setLayer": "ds"}', help="our ModelConfig as JSON, less the kind (--kind)")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sessions = {}
    if not args.serve:
        model = {**json.loads(args.model), "kind": args.kind}
        print(json.dumps(measure(sessions, args, model, args.batch, args.threads, args.seconds, args.min_steps)), flush=True)
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        result = measure(sessions, args, r["model"], r["batch"], r["threads"], r.get("seconds", args.seconds), r.get("minSteps", args.min_steps))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
