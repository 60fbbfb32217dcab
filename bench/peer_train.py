#!/usr/bin/env python3
"""The peer bench_train compares against: Centroid's model and k-means loss written the way a
PyTorch user would write them in the Python frontend, on the same raw IDX files.

Prints one JSON line: seconds per epoch (and per-phase seconds) for each batch size.
Run it under GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4000000000 for
the "tuned" peer of docs/benchmarks.md; bench_train runs it both ways.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx_images(folder):
    # Same files and the same [0,1] scaling as core/Dataset.cpp, so both sides train on identical
    # inputs; .gz is accepted as the C++ loader does.
    path = os.path.join(folder, "train-images-idx3-ubyte")
    opener = open
    if not os.path.exists(path):
        path += ".gz"
        opener = gzip.open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
    if magic != 0x803:
        sys.exit(f"{path}: expected magic 0x00000803, found {magic:#010x}")
    pixels = np.frombuffer(raw[16:], dtype=np.uint8, count=int(n) * int(rows) * int(cols))
    images = torch.from_numpy(pixels.reshape(int(n), 1, int(rows), int(cols)).astype(np.float32) / 255.0)
    return images.contiguous()


class Encoder(nn.Module):
    # The architecture of core/Encoder.h, in the order a Python user writes it (ReLU, then pool).
    def __init__(self, dim=3):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(256, 12), nn.ReLU(), nn.Linear(12, dim))

    def forward(self, x):
        return self.net(x)


def kmeans_loss(x, c, max_iter=50):
    """Lloyd's k-means from centroids c (K x D); returns the loss and the final centroids.

    Centroids are means of their assigned outputs with the graph kept; an empty cluster keeps its
    centroid; the loop stops when the assignments stop changing."""
    k = c.shape[0]
    prev = None
    for _ in range(max_iter):
        d = ((x.unsqueeze(0) - c.unsqueeze(1)) ** 2).sum(2)  # K x B
        assign = d.argmin(0)
        if prev is not None and torch.equal(assign, prev):
            break
        prev = assign
        onehot = F.one_hot(assign, k).t().to(x.dtype)  # K x B
        counts = onehot.sum(1, keepdim=True)
        c = torch.where(counts > 0, onehot @ x / counts.clamp_min(1), c)
    d = ((x.unsqueeze(0) - c.unsqueeze(1)) ** 2).sum(2)
    within = d.min(0).values.sum()
    between = d.sum() - within
    batch = x.shape[0]
    return within / batch + 1.0 / (between / batch), c.detach()


def run(images, batch_size, epochs, warmup, max_images, seed, clusters):
    torch.manual_seed(seed)
    model = Encoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()
    n = images.shape[0]
    centroids = None
    phases = {"forward": 0.0, "loss": 0.0, "backward": 0.0, "step": 0.0}
    timed_images = 0
    timed_seconds = 0.0
    epoch_seconds = []  # each timed epoch, scaled to the full set
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs + (1 if warmup else 0)):
        timing = not (warmup and epoch == 0)
        order = torch.randperm(n, generator=gen)  # a fresh shuffle every epoch
        start = time.perf_counter()
        done = 0
        for b, first in enumerate(range(0, n, batch_size)):
            if (not timing and b >= warmup) or (timing and max_images and done >= max_images):
                break
            batch = images[order[first:first + batch_size]]
            t0 = time.perf_counter()
            out = model(batch)
            t1 = time.perf_counter()
            if centroids is None:
                centroids = out[:clusters].detach().clone()
            loss, centroids = kmeans_loss(out, centroids)
            loss_value = loss.item()
            t2 = time.perf_counter()
            opt.zero_grad()
            loss.backward()
            t3 = time.perf_counter()
            opt.step()
            t4 = time.perf_counter()
            if timing:
                for name, dt in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    phases[name] += dt
            done += batch.shape[0]
        if timing:
            elapsed = time.perf_counter() - start
            timed_seconds += elapsed
            timed_images += done
            epoch_seconds.append(elapsed * n / done)
    scale = n / timed_images  # per full epoch, also when --images cut the epoch short
    return {
        "seconds_per_epoch": timed_seconds * scale,
        # The fastest epoch: on a shared machine other processes only ever add time.
        "best_seconds_per_epoch": min(epoch_seconds),
        "epoch_seconds": epoch_seconds,
        "images_per_second": timed_images / timed_seconds,
        "phases_per_epoch": {k: v * scale for k, v in phases.items()},
        "last_loss": loss_value,
        "timed_images": timed_images,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "data", "mnist"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batches", default="256,5000", help="comma-separated batch sizes")
    p.add_argument("--epochs", type=int, default=1, help="timed epochs per batch size")
    p.add_argument("--warmup", type=int, default=3, help="untimed batches first (0 = none)")
    p.add_argument("--images", type=int, default=0,
                   help="end each timed epoch after this many images (0 = full epoch)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--clusters", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    images = read_idx_images(a.data)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(),
              "glibc_tunables": os.environ.get("GLIBC_TUNABLES", ""), "images": images.shape[0]}
    for bs in (int(s) for s in a.batches.split(",")):
        result[str(bs)] = run(images, bs, a.epochs, a.warmup, a.images, a.seed, a.clusters)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
