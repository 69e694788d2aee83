"""The PyTorch side of test/models/torchEquivalence.test.ts: loads the parameters (and buffers), batch and
settings our TypeScript model exported (a safetensors file: `model.<name>`, `input.x` [B, P], `input.targets`
[B, classes], metadata `wslab.check` = {model: our ModelConfig, widths, classes, optimizer}), builds the same
architecture from torch_models.py, and writes what it computes to a second safetensors file:
  logits            [B, classes] of the initial parameters, in training mode (batch statistics)
  loss              [1] soft cross-entropy of those logits
  grad.<name>       the loss gradient of every parameter
  after.<name>      the parameters after two torch.optim.AdamW steps (the second on the updated parameters)
  buffer.<name>     the buffers (BatchNorm running statistics) after the first training-mode pass
  evalLogits        [B, classes] of the initial parameters in eval mode, with the running statistics the first
                    training-mode pass left
and in its metadata the parameter count and torch version.

    /usr/bin/python3 bench/train/torch_equivalence.py IN.safetensors OUT.safetensors [IN2 OUT2 ...]
(several pairs in one call: importing torch takes seconds).
"""
import json
import os
import sys

import torch

sys.dont_write_bytecode = True  # no __pycache__ beside the bench in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402
from torch_models import WeightSpaceModel, soft_cross_entropy  # noqa: E402


def check(source, target):
    arrays, metadata = read_safetensors(source)
    check = json.loads(metadata["wslab.check"])
    model = WeightSpaceModel(check["model"], check["widths"], check["classes"])
    model.load_named(arrays, "model.")
    o = check["optimizer"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weightDecay"])
    x = torch.from_numpy(arrays["input.x"].copy())
    targets = torch.from_numpy(arrays["input.targets"].copy())
    out = {}
    for step in range(2):
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = soft_cross_entropy(logits, targets)
        loss.backward()
        if step == 0:
            out["logits"] = logits.detach().numpy()
            out["loss"] = loss.detach().reshape(1).numpy()
            for name, p in model.named():
                out[f"grad.{name}"] = p.grad.numpy().copy()
            # eval mode on the same parameters, with the running statistics this pass updated
            model.eval()
            with torch.no_grad():
                out["evalLogits"] = model(x).numpy()
            model.train()
            for name, b in model.named_buffers_():
                out[f"buffer.{name}"] = b.detach().numpy().copy()
        optimizer.step()
    for name, p in model.named():
        out[f"after.{name}"] = p.detach().numpy()
    write_safetensors(target, out, {"parameters": model.parameter_count(), "torch": torch.__version__})


if __name__ == "__main__":
    torch.set_num_threads(1)
    paths = sys.argv[1:]
    if not paths or len(paths) % 2:
        sys.exit("usage: torch_equivalence.py IN.safetensors OUT.safetensors [IN2 OUT2 ...]")
    for i in range(0, len(paths), 2):
        check(paths[i], paths[i + 1])
