"""The weight-space classifiers of src/core/models in PyTorch, parameter for parameter (same names, shapes
and fan-in initialisation bounds), so the training benchmark compares implementations rather than models, and
the equivalence test can load our parameters and check that both compute the same logits, gradients and
running statistics. Written from the maths in the TypeScript files' comments; where PyTorch has the block
itself (BatchNorm1d, LayerNorm, softmax, quantile), the twin uses PyTorch's, so it checks ours against it.

Mirrors, file by file:
  neuronTensors.ts     network_layout / to_features: W_l (out, in) and b_l as feature tensors
                       [B, ...permutable neuron axes, channels], fixed neuron layers folded into channels
                       (dwsnet fixes neuron layers 0 and L; nfn-np fixes none)
  equivariantLayer.ts  EquivariantLayer: for each output tensor T and each subset K of T's axes (largest
                       first), the inputs whose axes include K are mean-pooled over their other axes,
                       concatenated along channels, multiplied by one matrix (in_channels, out_channels) and
                       broadcast over T's axes outside K; plus a bias
  featureNorm.ts       FeatureNorm: torch.nn.BatchNorm1d / LayerNorm over the last axis (channels)
  setAttention.ts      SetAttention: DWSNets' MAB(X, X) without layer norm
  invariantPool.ts     invariant_pool: mean, amax or both over the neuron axes
  equivariantModel.ts  EquivariantModel: layers -> [attention] -> norm -> ReLU, pooling, head
  neuralGraph.ts       NeuralGraph: the dense neural-graph GNN
  statNet.ts           StatNet: 7 statistics per tensor -> norm -> MLP
  mlpModel.ts          MlpModel: the flattened weights -> MLP
  evaluate.ts          soft_cross_entropy: -mean_n sum_c t_nc log softmax(z_n)_c
Linear maps are stored (fan_in, fan_out) like ours. `named()` lists parameters, `named_buffers_()` buffers
(BatchNorm running statistics as `<name>.runningMean|runningVar`), and `load_named()` takes a dict of numpy
arrays (e.g. from safetensors_io.read_safetensors; our checkpoints store them as 'model.<name>').
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

DEFAULTS = {"hidden": 16, "layers": 3, "headHidden": 64, "norm": "none", "pool": "mean", "setLayer": "ds"}


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


class Params(torch.nn.Module):
    """Parameters and buffers under our dotted names, kept in creation order."""

    def __init__(self, generator):
        super().__init__()
        self.generator = generator
        self._list = torch.nn.ParameterList()
        self.names = []
        self.buffer_names = []
        self.buffers_ = {}

    def _check(self, name):
        if name in self.names or name in self.buffers_:
            raise ValueError(f"parameter {name} is defined twice")

    def uniform(self, name, shape, bound):
        self._check(name)
        p = torch.nn.Parameter(torch.empty(shape).uniform_(-bound, bound, generator=self.generator))
        self._list.append(p)
        self.names.append(name)
        return p

    def constant(self, name, shape, value):
        self._check(name)
        p = torch.nn.Parameter(torch.full(shape, float(value)))
        self._list.append(p)
        self.names.append(name)
        return p

    def linear(self, name, fan_in, fan_out):
        bound = 1 / math.sqrt(fan_in)
        return self.uniform(f"{name}.weight", [fan_in, fan_out], bound), self.uniform(f"{name}.bias", [fan_out], bound)

    def adopt_buffer(self, name, tensor):
        self._check(name)
        self.buffers_[name] = tensor
        self.buffer_names.append(name)

    def named(self):
        return list(zip(self.names, self._list))

    def named_buffers_(self):
        return [(n, self.buffers_[n]) for n in self.buffer_names]


def dense(x, layer):
    weight, bias = layer
    return torch.matmul(x, weight) + bias


class Mlp:
    """sizes (in, hidden..., out), ReLU between, `between(x, i)` before each hidden ReLU (dense.ts mlp)."""

    def __init__(self, params, name, sizes, between=None):
        self.layers = [params.linear(f"{name}.{i}", sizes[i], out) for i, out in enumerate(sizes[1:])]
        self.between = between

    def __call__(self, x):
        for i, layer in enumerate(self.layers):
            x = dense(x, layer)
            if i + 1 < len(self.layers):
                x = torch.relu(self.between(x, i) if self.between else x)
        return x


class FeatureNorm:
    """featureNorm.ts, with PyTorch's own modules on x reshaped to [N, channels]."""

    def __init__(self, kind, params, name, channels):
        self.kind = kind
        if kind == "none":
            return
        weight = params.constant(f"{name}.weight", [channels], 1)
        bias = params.constant(f"{name}.bias", [channels], 0)
        if kind == "batch":
            self.module = torch.nn.BatchNorm1d(channels, eps=1e-5, momentum=0.1)
            params.adopt_buffer(f"{name}.runningMean", self.module.running_mean)
            params.adopt_buffer(f"{name}.runningVar", self.module.running_var)
        elif kind == "layer":
            self.module = torch.nn.LayerNorm(channels, eps=1e-5)
        else:
            raise ValueError(f"unknown norm {kind}")
        self.module.weight = weight
        self.module.bias = bias

    def __call__(self, x, training):
        if self.kind == "none":
            return x
        if self.kind == "batch":
            self.module.train(training)
            return self.module(x.reshape(-1, x.shape[-1])).reshape(x.shape)
        return self.module(x)


def invariant_pool(pool, x):
    axes = list(range(1, x.dim() - 1))
    if not axes:
        return x
    if pool == "mean":
        return x.mean(dim=axes)
    if pool == "max":
        return x.amax(dim=axes)
    return torch.cat([x.mean(dim=axes), x.amax(dim=axes)], 1)


def pooled_channels(pool, channels, neuron_axes):
    return 2 * channels if pool == "mean+max" and neuron_axes > 0 else channels


class SetAttention:
    """DWSNets' MAB(X, X) without layer norm: O = Q + softmax(Q Kᵀ / √c) V per head; O + ReLU(O W_o + b_o)."""

    def __init__(self, params, name, channels):
        self.q, self.k, self.v, self.o = (params.linear(f"{name}.{p}", channels, channels) for p in "qkvo")
        self.channels = channels
        self.heads = 4 if channels % 4 == 0 else 1

    def __call__(self, x):
        q, k, v = dense(x, self.q), dense(x, self.k), dense(x, self.v)
        d = self.channels // self.heads
        # DWSNets' own head split: chunks of d channels stacked along the batch axis
        q_, k_, v_ = (torch.cat(t.split(d, 2), 0) for t in (q, k, v))
        a = torch.softmax(q_.bmm(k_.transpose(1, 2)) / math.sqrt(self.channels), 2)
        o = torch.cat((q_ + a.bmm(v_)).split(q.size(0), 0), 2)
        return o + torch.relu(dense(o, self.o))


class EquivariantLayer:
    """One equivariant linear layer; its parameters live in the model's Params."""

    def __init__(self, params, name, widths, input_layout, output_layout):
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
                b["weight"] = params.uniform(f"{name}.{t['name']}.keep{label}", [b["in"], t["channels"]], bound)
            bias = params.uniform(f"{name}.{t['name']}.bias", [t["channels"]], bound)
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


class EquivariantModel:
    """nfn-np or dwsnet (equivariantModel.ts)."""

    def __init__(self, params, config, widths, classes):
        L = len(widths) - 1
        self.widths = widths
        self.pool = config["pool"]
        self.fixed = {0, L} if config["kind"] == "dwsnet" else set()
        layout = network_layout(widths, self.fixed, 1)
        self.input_layout = layout
        self.stages = []
        for i in range(config["layers"]):
            nxt = network_layout(widths, self.fixed, config["hidden"])
            layer = EquivariantLayer(params, f"eq{i}", widths, layout, nxt)
            attention = [SetAttention(params, f"eq{i}.{t['name']}.sab", t["channels"]) if config["setLayer"] == "sab" and len(t["axes"]) == 1 else None for t in nxt]
            norms = [FeatureNorm(config["norm"], params, f"eq{i}.{t['name']}.norm", t["channels"]) for t in nxt]
            self.stages.append((layer, attention, norms))
            layout = nxt
        pooled = sum(pooled_channels(self.pool, t["channels"], len(t["axes"])) for t in layout)
        self.head = Mlp(params, "head", [pooled, config["headHidden"], classes])

    def __call__(self, flat, training):
        features = to_features(self.widths, self.fixed, self.input_layout, flat)
        for layer, attention, norms in self.stages:
            out = []
            for f, att, norm in zip(layer(features), attention, norms):
                out.append(torch.relu(norm(att(f) if att else f, training)))
            features = out
        return self.head(torch.cat([invariant_pool(self.pool, f) for f in features], 1))


class MlpModel:
    """mlpModel.ts: the flattened weights -> MLP with norm before each hidden ReLU."""

    def __init__(self, params, config, widths, classes):
        P = sum(out * (inp + 1) for inp, out in zip(widths[:-1], widths[1:]))
        self.norms = [FeatureNorm(config["norm"], params, f"mlp.norm{i}", config["hidden"]) for i in range(config["layers"])]
        self.training = False
        self.net = Mlp(params, "mlp", [P, *[config["hidden"]] * config["layers"], classes], lambda x, i: self.norms[i](x, self.training))

    def __call__(self, flat, training):
        self.training = training
        return self.net(flat)


STATISTICS = 7


def tensor_sizes(widths):
    return [s for l, out in enumerate(widths[1:]) for s in (out * widths[l], out)]


class StatNet:
    """statNet.ts: mean, population variance and the 0/25/50/75/100 % quantiles per tensor -> norm -> MLP."""

    def __init__(self, params, config, widths, classes):
        self.sizes = tensor_sizes(widths)
        features = len(self.sizes) * STATISTICS
        self.input_norm = FeatureNorm(config["norm"], params, "stat.inputNorm", features)
        self.norms = [FeatureNorm(config["norm"], params, f"stat.norm{i}", config["hidden"]) for i in range(config["layers"])]
        self.training = False
        self.net = Mlp(params, "stat", [features, *[config["hidden"]] * config["layers"], classes], lambda x, i: self.norms[i](x, self.training))

    def statistics(self, flat):
        stats = []
        q = torch.tensor([0, 0.25, 0.5, 0.75, 1], dtype=torch.float64)
        for t in torch.split(flat.detach().double(), self.sizes, 1):
            stats += [t.mean(1, keepdim=True), t.var(1, unbiased=False, keepdim=True), torch.quantile(t, q, dim=1).T]
        return torch.cat(stats, 1).float()

    def __call__(self, flat, training):
        self.training = training
        return self.net(self.input_norm(self.statistics(flat), training))


class NeuralGraph:
    """neuralGraph.ts: the dense neural-graph GNN."""

    def __init__(self, params, config, widths, classes):
        C = config["hidden"]
        L = len(widths) - 1
        self.C, self.L, self.widths, self.pool = C, L, widths, config["pool"]
        self.layout = network_layout(widths, set(), 1)
        self.node_in = params.linear("gnn.nodeIn", 1, C)
        self.edge_in = params.linear("gnn.edgeIn", 1, C)
        self.positions = [params.uniform(f"gnn.pos{k}", [n if k in (0, L) else 1, C], math.sqrt(3)) for k, n in enumerate(widths)]

        def edge_map(name):
            bound = 1 / math.sqrt(3 * C)
            return {part: params.uniform(f"{name}.{part}", [C, C], bound) for part in ("dst", "src", "edge")} | {"bias": params.uniform(f"{name}.bias", [C], bound)}

        self.layers = []
        for t in range(config["layers"]):
            last = t == config["layers"] - 1
            layer = {
                "forward": edge_map(f"gnn.mp{t}.forward"),
                "backward": edge_map(f"gnn.mp{t}.backward"),
                "node": params.linear(f"gnn.mp{t}.node", 5 * C, C),
                "nodeNorms": [None if last and k == 0 else FeatureNorm(config["norm"], params, f"gnn.mp{t}.nodeNorm{k}", C) for k in range(L + 1)],
            }
            if not last:
                layer["edge"] = edge_map(f"gnn.mp{t}.edge")
                layer["edgeNorms"] = [FeatureNorm(config["norm"], params, f"gnn.mp{t}.edgeNorm{l}", C) for l in range(L)]
            self.layers.append(layer)
        readout = widths[L] * C + sum(pooled_channels(self.pool, C, 1) for _ in widths[1:-1])
        self.head = Mlp(params, "head", [readout, config["headHidden"], classes])

    @staticmethod
    def edge_term(m, dst, src, edges):
        """ReLU(dst·D + src·S + edge·E + b) on edges [B, rows, cols, C]; dst, src already broadcast."""
        return torch.relu(edges @ m["edge"] + (dst @ m["dst"] + src @ m["src"]) + m["bias"])

    def __call__(self, flat, training):
        batch, C, L, widths = flat.shape[0], self.C, self.L, self.widths
        inputs = to_features(widths, set(), self.layout, flat)
        nodes = [dense(torch.zeros(batch, n, 1) if k == 0 else inputs[2 * k - 1], self.node_in) + self.positions[k] for k, n in enumerate(widths)]
        edges = [dense(inputs[2 * l], self.edge_in) for l in range(L)]
        for layer in self.layers:
            from_below, from_above = [], []
            for l, e in enumerate(edges):
                rows, cols = nodes[l + 1].unsqueeze(2), nodes[l].unsqueeze(1)
                m = self.edge_term(layer["forward"], rows, cols, e)  # to the rows (layer l+1) from the columns
                from_below.append(torch.cat([m.mean(2), m.amax(2)], -1))
                m = self.edge_term(layer["backward"], cols, rows, e)  # to the columns (layer l) from the rows
                from_above.append(torch.cat([m.mean(1), m.amax(1)], -1))
            new_nodes = []
            for k, h in enumerate(nodes):
                norm = layer["nodeNorms"][k]
                if norm is None:
                    new_nodes.append(h)
                    continue
                none = torch.zeros(batch, widths[k], 2 * C)
                joined = torch.cat([h, from_below[k - 1] if k > 0 else none, from_above[k] if k < L else none], -1)
                new_nodes.append(norm(h + torch.relu(dense(joined, layer["node"])), training))
            nodes = new_nodes
            if "edge" in layer:
                edges = [
                    layer["edgeNorms"][l](e + self.edge_term(layer["edge"], nodes[l + 1].unsqueeze(2), nodes[l].unsqueeze(1), e), training)
                    for l, e in enumerate(edges)
                ]
        pooled = [nodes[L].reshape(batch, widths[L] * C)] + [invariant_pool(self.pool, h) for h in nodes[1:-1]]
        return self.head(torch.cat(pooled, 1))


BUILDERS = {"dwsnet": EquivariantModel, "nfn-np": EquivariantModel, "mlp": MlpModel, "statnn": StatNet, "gnn": NeuralGraph}


class WeightSpaceModel(torch.nn.Module):
    """Any of our model kinds: logits [B, classes] from flattened networks [B, P] (weightSpaceModel.ts).
    `config` is our ModelConfig as a dict (missing keys: DEFAULTS)."""

    def __init__(self, config, widths, classes, seed=0):
        super().__init__()
        self.config = {**DEFAULTS, **config}
        self.params = Params(torch.Generator().manual_seed(seed))
        self.net = BUILDERS[self.config["kind"]](self.params, self.config, list(widths), classes)

    def named(self):
        return self.params.named()

    def named_buffers_(self):
        return self.params.named_buffers_()

    def parameter_count(self):
        return sum(p.numel() for _, p in self.named())

    @torch.no_grad()
    def load_named(self, arrays, prefix=""):
        for name, p in self.named() + self.named_buffers_():
            a = arrays[prefix + name]
            if list(a.shape) != list(p.shape):
                raise ValueError(f"{prefix}{name}: shape {list(a.shape)}, the model needs {list(p.shape)}")
            p.copy_(torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)))

    def forward(self, flat):
        return self.net(flat, self.training)


def soft_cross_entropy(logits, targets):
    return -(targets * torch.log_softmax(logits, 1)).sum(1).mean()
