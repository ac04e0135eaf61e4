"""Benchmark: ``symcheck scan`` end to end (interpreter start included) on generated model
files, against the NumPy lower bound measured in the same run: reading the same file and
hashing every unit's row (``np.unique`` over the rows of each weight).

    PYTHONPATH=. python benchmarks/bench_scan.py

Files: an MNIST-sized MLP 784-512-512-10 (safetensors, float32, two duplicated units) and a
ResNet-18-sized convolution chain (about 11.7 M parameters: the 17 convolutions of ResNet-18 as
one chain, 3 -> 64 (7x7), 64 x4, 128 x4, 256 x4, 512 x4 (3x3), then a 512 -> 1000 linear layer;
safetensors, float32, one duplicated channel). Targets: < 2 s and < 10 s wall.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

ROOT = Path(__file__).resolve().parents[1]


def mlp(rng) -> dict:
    widths = (784, 512, 512, 10)
    out = {}
    for i in range(3):
        out[f"net.{2 * i}.weight"] = rng.normal(size=(widths[i + 1], widths[i])).astype(np.float32)
        out[f"net.{2 * i}.bias"] = rng.normal(size=widths[i + 1]).astype(np.float32)
    for a, b in ((0, 1), (7, 9)):
        out["net.2.weight"][b] = out["net.2.weight"][a]
        out["net.2.bias"][b] = out["net.2.bias"][a]
        out["net.4.weight"][:, b] = out["net.4.weight"][:, a]
    return out


def resnet_chain(rng) -> dict:
    channels = [3, 64] + [64] * 4 + [128] * 4 + [256] * 4 + [512] * 4
    out = {}
    for i in range(len(channels) - 1):
        k = 7 if i == 0 else 3
        fan_in = channels[i] * k * k
        out[f"features.{i}.weight"] = (rng.normal(size=(channels[i + 1], channels[i], k, k)) /
                                       np.sqrt(fan_in)).astype(np.float32)
        out[f"features.{i}.bias"] = np.zeros(channels[i + 1], dtype=np.float32)
    out["fc.weight"] = (rng.normal(size=(1000, 512)) / np.sqrt(512)).astype(np.float32)
    out["fc.bias"] = np.zeros(1000, dtype=np.float32)
    last = f"features.{len(channels) - 2}.weight"
    out[last][1] = out[last][0]
    out["fc.weight"][:, 1] = out["fc.weight"][:, 0]
    return out


def numpy_lower_bound(path: Path) -> float:
    start = time.perf_counter()
    tensors = load_file(str(path))
    for name, value in tensors.items():
        if value.ndim >= 2:
            np.unique(value.reshape(value.shape[0], -1), axis=0)
    return time.perf_counter() - start


def run_scan(path: Path, *extra) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "symcheck", "scan", str(path), "--activation", "relu", *extra],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.returncode


def main() -> None:
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for name, arrays, target in (("MLP 784-512-512-10", mlp(rng), 2.0),
                                     ("ResNet-18-sized conv chain", resnet_chain(rng), 10.0)):
            path = Path(tmp) / "model.safetensors"
            save_file(arrays, str(path))
            count = sum(v.size for v in arrays.values())
            lower = min(numpy_lower_bound(path) for _ in range(3))
            wall, cpu, code = run_scan(path, "--optimizer", "adam")
            rows.append((name, count, wall, cpu, code, lower, target))
    print("| file | parameters | symcheck scan (wall / CPU) | exit | NumPy: read + hash rows | ratio (CPU) | target |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, count, wall, cpu, code, lower, target in rows:
        print(f"| {name} | {count:,} | {wall:.2f} s / {cpu:.2f} s | {code} | {lower * 1000:.0f} ms | "
              f"{cpu / lower:.0f}x | < {target:g} s |")


if __name__ == "__main__":
    main()
