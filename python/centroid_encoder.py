"""Rebuild a Centroid run's encoder in PyTorch from the run file's best weights.

    import centroid_encoder
    model = centroid_encoder.load("run.h5")          # torch.nn.Module, eval mode, CPU
    z = centroid_encoder.embed("run.h5", images)     # images: (N, 28, 28) uint8 -> (N, D) float32
    centroids = centroid_encoder.centroids("run.h5") # the objective's centroids, or None

The architecture is the C++ one (core/model/Encoder): Conv2d(1->32, 3x3) ReLU MaxPool 2,
Conv2d(32->16, 5x5) ReLU MaxPool 2, flatten (256), Dense 12 ReLU, Dense D; pixels / 255.
Needs h5py and torch (Debian: python3-h5py, python3-torch). tests/app/check_python.py checks
that it reproduces the C++ embedding of the view set's first 100 images to 1e-4.
"""
import h5py
import numpy as np
import torch
from torch import nn


class Encoder(nn.Module):
    def __init__(self, dim=3):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 16, 5)
        self.fc1 = nn.Linear(256, 12)
        self.fc2 = nn.Linear(12, dim)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc2(torch.relu(self.fc1(x.flatten(1))))


def _weights(path):
    # swmr=True also opens a run that is still being written, or whose writer was killed.
    with h5py.File(path, "r", swmr=True) as f:
        if f.attrs.get("format") != "centroid-run":
            raise ValueError(f"{path}: not a Centroid run file")
        if "best/weights" not in f or f["best/epoch"][()] == 0:
            raise ValueError(f"{path}: no epoch finished, so there are no best weights")
        return {name: np.asarray(w) for name, w in f["best/weights"].items()}


def load(path):
    """The encoder with the run's best weights, in eval mode on the CPU."""
    weights = _weights(path)
    model = Encoder(dim=weights["fc2.weight"].shape[0])
    state = {k: torch.from_numpy(v) for k, v in weights.items() if not k.startswith("objective.")}
    model.load_state_dict(state)
    return model.eval()


def embed(path_or_model, images, batch=1000):
    """(N, 28, 28) uint8 images -> (N, D) float32 numpy array, as Centroid embeds them."""
    model = load(path_or_model) if isinstance(path_or_model, str) else path_or_model
    x = torch.from_numpy(np.asarray(images, dtype=np.uint8)).float().div_(255).unsqueeze(1)
    with torch.no_grad():
        return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)]).numpy()


def centroids(path):
    """The objective's learned centroids (K, D) when the run stored them, else None."""
    weights = _weights(path)
    return weights.get("objective.centroids")
