#!/usr/bin/env python3
"""Splits FOLDER/model.safetensors into model-00001-of-00002.safetensors and model-00002-of-00002.safetensors
with model.safetensors.index.json, as save_pretrained shards a large checkpoint, and removes the single file.
For the tests of sharded downloads (Python 3 standard library only)."""
import json
import os
import struct
import sys


def read(path):
    data = open(path, "rb").read()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    metadata = header.pop("__metadata__", None)
    tensors = []
    for name in sorted(header):
        entry = header[name]
        begin, end = entry["data_offsets"]
        tensors.append((name, entry["dtype"], entry["shape"], body[begin:end]))
    return tensors, metadata


def write(path, tensors, metadata):
    header, chunks, offset = {}, [], 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    encoded = json.dumps(header).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


def main():
    folder = sys.argv[1]
    single = os.path.join(folder, "model.safetensors")
    tensors, metadata = read(single)
    half = len(tensors) // 2
    names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    weight_map = {}
    for shard, part in zip(names, (tensors[:half], tensors[half:])):
        write(os.path.join(folder, shard), part, metadata)
        for name, *_ in part:
            weight_map[name] = shard
    total = sum(len(raw) for *_, raw in tensors)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as out:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, out, indent=2)
    os.remove(single)


if __name__ == "__main__":
    main()
