"""The weight-space classifiers of src/core/models in PyTorch: the same NFN-NP and DWSNet-style
architectures, parameter for parameter (same names, shapes, order and fan-in initialisation bounds),
so the training benchmark compares implementations rather than models, and the equivalence test can load
our parameters and check that both compute the same logits and gradients.

Mirrors, file by file:
  neuronTensors.ts     network_layout / to_features: W_l (out, in) and b_l as feature tensors
                       [B, ...permutable neuron axes, channels], fixed neuron layers folded into channels
                       (dwsnet fixes neuron layers 0 and L; nfn-np fixes none)
  equivariantLayer.ts  EquivariantLayer: for each output tensor T and each subset K of T's axes (largest
                       first), the inputs whose axes include K are mean-pooled over their other axes,
                       concatenated along channels, multiplied by one matrix (in_channels, out_channels) and
                       broadcast over T's axes outside K; plus a bias
  weightSpaceModel.ts  WeightSpaceModel: equivariant layers with ReLU, mean-pool each tensor over its axes,
                       concat, head Linear(pooled, headHidden) -> ReLU -> Linear(headHidden, classes); head
                       weights stored (fan_in, fan_out) like ours
  evaluate.ts          soft_cross_entropy: -mean_n sum_c t_nc log softmax(z_n)_c

Parameters carry our names ('eq0.w1.keep2_1', 'head.0.weight', ...): `named()` lists them in our order and
`load_named()` takes a dict of numpy arrays, e.g. from safetensors_io.read_safetensors (our checkpoints store
them as 'model.<name>').
"""
import math

import numpy as np
import torch


def network_layout(widths, fixed, channels):
    """[{name, axes, channels}] for W_0, b_0, W_1, ... (neuronTensors.ts networkLayout)."""
    def folded(layers):
        c = channels
        for k in layers:
            if k in fixed:
                c *= widths[k]
        return c

    tensors = []
    for l in range(len(widths) - 1):
        weight_layers = [l + 1, l]
        tensors.append({"name": f"w{l}", "axes": [k for k in weight_layers if k not in fixed], "channels": folded(weight_layers)})
        tensors.append({"name": f"b{l}", "axes": [k for k in [l + 1] if k not in fixed], "channels": folded([l + 1])})
    return tensors


def feature_shape(widths, tensor, batch):
    return [batch, *[widths[k] for k in tensor["axes"]], tensor["channels"]]


def to_features(widths, fixed, layout, flat):
    """Splits [B, P] (state-dict order, W (out, in)) into one feature tensor per weight and bias."""
    batch = flat.shape[0]
    features = []
    offset = 0
    for l in range(len(widths) - 1):
        rows, cols = widths[l + 1], widths[l]
        w = flat[:, offset : offset + rows * cols].reshape(batch, rows, cols)
        offset += rows * cols
        if (l + 1) in fixed and l not in fixed:
            w = w.transpose(1, 2)  # fixed rows go to the channel end
        features.append(w.reshape(feature_shape(widths, layout[2 * l], batch)))
        b = flat[:, offset : offset + rows]
        offset += rows
        features.append(b.reshape(feature_shape(widths, layout[2 * l + 1], batch)))
    return features


def subsets(axes):
    """Every subset of `axes`, largest first (the same mask order as equivariantLayer.ts)."""
    return [[a for i, a in enumerate(axes) if mask & (1 << i)] for mask in range((1 << len(axes)) - 1, -1, -1)]


class ParamList(torch.nn.Module):
    """Parameters under our dotted names, kept in creation order."""

    def __init__(self):
        super().__init__()
        self._list = torch.nn.ParameterList()
        self.names = []

    def uniform(self, name, shape, bound, generator):
        if name in self.names:
            raise ValueError(f"parameter {name} is defined twice")
        p = torch.nn.Parameter(torch.empty(shape).uniform_(-bound, bound, generator=generator))
        self._list.append(p)
        self.names.append(name)
        return p

    def named(self):
        return list(zip(self.names, self._list))


class EquivariantLayer:
    """One equivariant linear layer; its parameters live in the model's ParamList."""

    def __init__(self, params, name, widths, input_layout, output_layout, generator):
        self.widths = widths
        self.input = input_layout
        self.targets = []
        for t in output_layout:
            blocks = []
            for keep in subsets(t["axes"]):
                sources = [i for i, u in enumerate(input_layout) if all(k in u["axes"] for k in keep)]
                if sources:
                    blocks.append({"keep": keep, "sources": sources, "in": sum(input_layout[i]["channels"] for i in sources)})
            bound = 1 / math.sqrt(sum(b["in"] for b in blocks))
            for b in blocks:
                label = "_".join(str(k) for k in b["keep"]) or "none"
                b["weight"] = params.uniform(f"{name}.{t['name']}.keep{label}", [b["in"], t["channels"]], bound, generator)
            bias = params.uniform(f"{name}.{t['name']}.bias", [t["channels"]], bound, generator)
            self.targets.append({"layout": t, "blocks": blocks, "bias": bias})

    def __call__(self, features):
        pooled = {}

        def pool(i, keep):
            key = (i, tuple(keep))
            if key not in pooled:
                over = [a + 1 for a, k in enumerate(self.input[i]["axes"]) if k not in keep]
                pooled[key] = features[i].mean(dim=over) if over else features[i]
            return pooled[key]

        batch = features[0].shape[0]
        outputs = []
        for target in self.targets:
            t = target["layout"]
            terms = []
            for block in target["blocks"]:
                parts = [pool(i, block["keep"]) for i in block["sources"]]
                joined = parts[0] if len(parts) == 1 else torch.cat(parts, -1)
                mapped = torch.matmul(joined, block["weight"])
                terms.append(mapped.reshape([batch, *[self.widths[k] if k in block["keep"] else 1 for k in t["axes"]], t["channels"]]))
            full, partial = terms[0], terms[1:]
            small = target["bias"]
            for term in reversed(partial):
                small = term + small
            outputs.append(full + small)
        return outputs


class WeightSpaceModel(torch.nn.Module):
    """nfn-np or dwsnet: logits [B, classes] from flattened networks [B, P] (weightSpaceModel.ts)."""

    def __init__(self, kind, widths, classes, hidden, layers, head_hidden, seed=0):
        super().__init__()
        if kind not in ("nfn-np", "dwsnet"):
            raise ValueError(f"unknown model kind {kind}")
        generator = torch.Generator().manual_seed(seed)
        self.kind = kind
        self.widths = list(widths)
        L = len(widths) - 1
        self.fixed = {0, L} if kind == "dwsnet" else set()
        self.params = ParamList()
        layout = network_layout(self.widths, self.fixed, 1)
        self.input_layout = layout
        self.layers = []
        for i in range(layers):
            nxt = network_layout(self.widths, self.fixed, hidden)
            self.layers.append(EquivariantLayer(self.params, f"eq{i}", self.widths, layout, nxt, generator))
            layout = nxt
        self.final_layout = layout
        pooled = sum(t["channels"] for t in layout)
        self.head = []
        for i, (fan_in, fan_out) in enumerate([(pooled, head_hidden), (head_hidden, classes)]):
            bound = 1 / math.sqrt(fan_in)
            weight = self.params.uniform(f"head.{i}.weight", [fan_in, fan_out], bound, generator)
            bias = self.params.uniform(f"head.{i}.bias", [fan_out], bound, generator)
            self.head.append((weight, bias))

    def named(self):
        return self.params.named()

    def parameter_count(self):
        return sum(p.numel() for _, p in self.named())

    @torch.no_grad()
    def load_named(self, arrays, prefix=""):
        for name, p in self.named():
            a = arrays[prefix + name]
            if list(a.shape) != list(p.shape):
                raise ValueError(f"{prefix}{name}: shape {list(a.shape)}, the model needs {list(p.shape)}")
            p.copy_(torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)))

    def forward(self, flat):
        features = to_features(self.widths, self.fixed, self.input_layout, flat)
        for layer in self.layers:
            features = [torch.relu(f) for f in layer(features)]
        pooled = []
        for f, t in zip(features, self.final_layout):
            axes = [a + 1 for a in range(len(t["axes"]))]
            pooled.append(f.mean(dim=axes) if axes else f)
        h = torch.cat(pooled, 1)
        (w0, b0), (w1, b1) = self.head
        return torch.addmm(b1, torch.relu(torch.addmm(b0, h, w0)), w1)


def soft_cross_entropy(logits, targets):
    return -(targets * torch.log_softmax(logits, 1)).sum(1).mean()

