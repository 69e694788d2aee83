"""Minimal safetensors reading and writing (float32 only) with numpy, for the PyTorch side of the training
benchmark and its equivalence test: Debian's python3-torch 1.13 ships without the `safetensors` package.
Format: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__},
then the raw little-endian data.
"""
import json
import struct

import numpy as np


def read_safetensors(path):
    """Tensors (numpy float32 arrays) and the __metadata__ dict of a safetensors file."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    arrays = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        arrays[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"])
    return arrays, metadata


def write_safetensors(path, arrays, metadata=None):
    """Writes {name: array} as float32 tensors, in the given order, with string metadata."""
    header = {"__metadata__": {k: str(v) for k, v in (metadata or {}).items()}}
    blobs = []
    offset = 0
    for name, a in arrays.items():
        blob = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(a)), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
