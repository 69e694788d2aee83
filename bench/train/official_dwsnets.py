"""The official DWSNets code (AvivNavon/DWSNets, fetched separately: --repo) trained on our exported INRs, for
`npm run bench:e2e` (bench/train/endToEnd.ts). Two steps:

  export  our splits (x_<split>.safetensors: "x" [N, P] flattened networks in state-dict order, "y" [N]
          labels; widths in the metadata) → one state-dict .pth per INR, the splits JSON and statistics.pth,
          exactly the files the official experiments/mnist scripts read (generate_data_splits.py,
          compute_statistics.py).
  train   the official experiments/mnist/trainer.py loop, line for line, without wandb/tqdm/sklearn (not
          installed here): their INRDataset (one torch.load per INR per epoch, per-element normalisation),
          DataLoader, DWSModelForClassification, AdamW (amsgrad, weight decay 5e-4), cross-entropy; every epoch
          it evaluates val, test and — as their loop does — the training set. Prints one JSON line: wall
          seconds of the whole training (process start excluded), the seconds spent in the training-set
          evaluation (their loop's extra), per-epoch accuracies and the test accuracy at the best validation.

    /usr/bin/python3 bench/train/official_dwsnets.py export --data DIR --out DIR
    /usr/bin/python3 bench/train/official_dwsnets.py train --repo DIR --out DIR [--epochs 20 --batch 32 --lr 3e-3
        --hidden 16 --layers 3 --set-layer ds --reduction max --bn true --threads 2 --seed 0]
"""
import argparse
import json
import os
import sys
import time

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_safetensors  # noqa: E402


def export(args):
    splits = {}
    stats_source = None
    for split in ("train", "val", "test"):
        arrays, metadata = read_safetensors(os.path.join(args.data, f"x_{split}.safetensors"))
        widths = [int(w) for w in metadata["widths"].split(",")]
        x, y = torch.from_numpy(arrays["x"].copy()), arrays["y"].astype(int)
        folder = os.path.join(args.out, "inrs", split)
        os.makedirs(folder, exist_ok=True)
        paths = []
        for n in range(x.shape[0]):
            state, offset = {}, 0
            for layer, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
                state[f"seq.{layer}.weight"] = x[n, offset : offset + fan_out * fan_in].reshape(fan_out, fan_in).clone()
                offset += fan_out * fan_in
                state[f"seq.{layer}.bias"] = x[n, offset : offset + fan_out].clone()
                offset += fan_out
            path = os.path.join(folder, f"{n}.pth")
            torch.save(state, path)
            paths.append(path)
        splits[split] = {"path": paths, "label": [int(v) for v in y]}
        if split == "train":
            stats_source = (x, widths)
    with open(os.path.join(args.out, "splits.json"), "w") as f:
        json.dump(splits, f)
    # compute_statistics.py: per-element mean and std of each weight (transposed to in × out, with a feature
    # axis) and bias over the training split.
    x, widths = stats_source
    weights, biases, offset = [], [], 0
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        weights.append(x[:, offset : offset + fan_out * fan_in].reshape(-1, fan_out, fan_in).permute(0, 2, 1).unsqueeze(-1))
        offset += fan_out * fan_in
        biases.append(x[:, offset : offset + fan_out].unsqueeze(-1))
        offset += fan_out
    statistics = {
        "weights": {"mean": [w.mean(0) for w in weights], "std": [w.std(0) for w in weights]},
        "biases": {"mean": [b.mean(0) for b in biases], "std": [b.std(0) for b in biases]},
    }
    torch.save(statistics, os.path.join(args.out, "statistics.pth"))
    print(json.dumps({"exported": {s: len(v["label"]) for s, v in splits.items()}}))


def stub_missing(name, attributes):
    """A placeholder module for an import the training path does not use (so it need not be installed)."""
    import importlib.util
    import types

    if importlib.util.find_spec(name.split(".")[0]) is not None:
        return
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        module = types.ModuleType(".".join(parts[:i]))
        sys.modules[module.__name__] = module
        if i > 1:
            setattr(sys.modules[".".join(parts[: i - 1])], parts[i - 1], module)
    for attribute in attributes:
        setattr(sys.modules[name], attribute, type(attribute, (), {}))


def train(args):
    sys.path.insert(0, args.repo)
    # experiments/data.py imports their INR class (nn/inr.py), which imports random-fourier-features (rff);
    # the classifier never builds an INR.
    stub_missing("rff.layers", ["GaussianEncoding", "PositionalEncoding"])
    from experiments.data import INRDataset  # noqa: E402
    from nn.models import DWSModelForClassification  # noqa: E402

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    started = time.perf_counter()
    path = os.path.join(args.out, "splits.json")
    statistics = os.path.join(args.out, "statistics.pth")
    sets = {
        split: INRDataset(path=path, split=split, normalize=True, augmentation=False, statistics_path=statistics)
        for split in ("train", "val", "test")
    }
    loader = {
        "train": torch.utils.data.DataLoader(sets["train"], batch_size=args.batch, shuffle=True, num_workers=0),
        "val": torch.utils.data.DataLoader(sets["val"], batch_size=args.batch, shuffle=False),
        "test": torch.utils.data.DataLoader(sets["test"], batch_size=args.batch, shuffle=True, num_workers=0),
    }
    point = sets["train"][0]
    model = DWSModelForClassification(
        weight_shapes=tuple(w.shape[:2] for w in point.weights),
        bias_shapes=tuple(b.shape[:1] for b in point.biases),
        input_features=1,
        hidden_dim=args.hidden,
        n_hidden=args.layers - 1,  # their DWSModel: one DWSLayer, then n_hidden × (BN, ReLU, DWSLayer)
        reduction=args.reduction,
        n_fc_layers=1,
        set_layer=args.set_layer,
        n_out_fc=1,
        dropout_rate=0.0,
        bn=args.bn,
        diagonal=False,
    )
    parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.AdamW(params=model.parameters(), lr=args.lr, amsgrad=True, weight_decay=5e-4)
    criterion = torch.nn.CrossEntropyLoss()

    @torch.no_grad()
    def evaluate(data):
        model.eval()
        correct, total = 0, 0
        for batch in data:
            out = model((batch.weights, batch.biases))
            correct += int(out.argmax(1).eq(batch.label).sum())
            total += len(batch.label)
        model.train()
        return correct / total

    epochs, best_val, test_at_best, train_eval_seconds = [], -1.0, None, 0.0
    for epoch in range(args.epochs):
        for batch in loader["train"]:
            model.train()
            optimizer.zero_grad()
            loss = criterion(model((batch.weights, batch.biases)), batch.label)
            loss.backward()
            optimizer.step()
        val_acc, test_acc = evaluate(loader["val"]), evaluate(loader["test"])
        t0 = time.perf_counter()
        train_acc = evaluate(loader["train"])
        train_eval_seconds += time.perf_counter() - t0
        if val_acc >= best_val:
            best_val, test_at_best = val_acc, test_acc
        epochs.append({"epoch": epoch + 1, "train": train_acc, "val": val_acc, "test": test_acc})
    print(json.dumps({
        "seconds": time.perf_counter() - started,
        "trainEvalSeconds": train_eval_seconds,
        "parameters": parameters,
        "bestVal": best_val,
        "testAtBestVal": test_at_best,
        "epochs": epochs,
        "torch": torch.__version__,
        "threads": args.threads,
    }))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["export", "train"])
    parser.add_argument("--data")
    parser.add_argument("--out", required=True)
    parser.add_argument("--repo")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--set-layer", default="ds")
    parser.add_argument("--reduction", default="max")
    parser.add_argument("--bn", type=lambda v: v.lower() == "true", default=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    export(args) if args.step == "export" else train(args)
