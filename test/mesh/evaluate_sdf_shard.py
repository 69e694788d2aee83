"""Independent check of a 3-D INR shard (issue 22), in NumPy only: reads the safetensors shard itself,
evaluates every SIREN at 10,000 uniform points of [-1, 1]^3 and compares its sign with the exact signed
distance of the analytic shape the test meshed, away from a band around the surface.

usage: evaluate_sdf_shard.py SHARD SHAPES_JSON BAND
SHAPES_JSON maps an item's class name to {"kind": "box"|"sphere"|"torus", "params": [...],
"scale": s, "offset": [x, y, z]}: mesh coordinates = shape coordinates * s + offset.
Prints one JSON line per INR: {"id", "class", "accuracy", "counted"}.
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info["dtype"]
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(info["shape"])
    return header.get("__metadata__", {}), tensors


def exact_sdf(kind, params, q):
    if kind == "sphere":
        return np.linalg.norm(q, axis=1) - params[0]
    if kind == "box":
        d = np.abs(q) - np.asarray(params)
        return np.linalg.norm(np.maximum(d, 0), axis=1) + np.minimum(d.max(axis=1), 0)
    if kind == "torus":
        big, small = params
        return np.hypot(np.hypot(q[:, 0], q[:, 1]) - big, q[:, 2]) - small
    raise ValueError(kind)


def siren(spec, layers, x):
    h = x.astype(np.float64)
    for i, (w, b) in enumerate(layers):
        h = h @ w.T.astype(np.float64) + b.astype(np.float64)
        if i < len(layers) - 1:
            h = np.sin(spec["w0"] * h)
    return h[:, 0] + spec["outputOffset"]


def main():
    shard, shapes_json, band = sys.argv[1], sys.argv[2], float(sys.argv[3])
    shapes = json.loads(shapes_json)
    metadata, tensors = read_safetensors(shard)
    settings = json.loads(metadata["wslab.dataset"])
    items = json.loads(metadata["wslab.items"])
    spec, classes = settings["spec"], settings["source"]["classes"]
    points = np.random.default_rng(2024).uniform(-1, 1, size=(10_000, 3))
    for item in items:
        count = len(spec["hidden"]) + 1
        layers = [(tensors[f"{item['id']}/seq.{i}.weight"], tensors[f"{item['id']}/seq.{i}.bias"]) for i in range(count)]
        shape = shapes[classes[item["label"]]]
        placement = item["normalise"]
        mesh_points = points / placement["scale"] + np.asarray(placement["centre"])
        shape_points = (mesh_points - np.asarray(shape["offset"])) / shape["scale"]
        truth = exact_sdf(shape["kind"], shape["params"], shape_points) * shape["scale"] * placement["scale"]
        predicted = siren(spec, layers, points)
        counted = np.abs(truth) >= band
        agree = np.sign(predicted[counted]) == np.sign(truth[counted])
        print(json.dumps({"id": item["id"], "class": classes[item["label"]], "accuracy": float(agree.mean()), "counted": int(counted.sum())}))


main()
