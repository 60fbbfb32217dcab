#!/usr/bin/python3
"""What Python users do with Centroid's files, checked against the run file itself.

  check_python.py docs RUN.h5
      runs docs/run-file.md's h5py example on RUN.h5 (so the documentation cannot drift from
      the format): it must exit 0 and print the run's status.
  check_python.py encoder RUN.h5
      rebuilds the encoder with python/centroid_encoder.py from the best weights and checks that
      it reproduces the run's embedding of its first 100 view images (best epoch) to 1e-4.
  check_python.py embedding RUN.h5 EPOCH_INDEX OUT.npy OUT.csv [ALL.npy]
      loads the exported embedding with numpy.load / numpy.genfromtxt and compares every field
      with the run file's view set and epoch; ALL.npy (--epoch all) holds every epoch.
Exit 0 when all holds, 1 with the first difference on stderr.
"""
import pathlib
import re
import subprocess
import sys

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]


def fail(message):
    print("check_python: " + message, file=sys.stderr)
    sys.exit(1)


def docs_example(run):
    text = (ROOT / "docs" / "run-file.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "h5py.File(sys.argv[1]" in b]
    if not blocks:
        fail("docs/run-file.md has no h5py example reading sys.argv[1]")
    result = subprocess.run([sys.executable, "-c", blocks[0], run], capture_output=True, text=True)
    if result.returncode != 0:
        fail("the documented example failed:\n" + result.stderr)
    if "status:" not in result.stdout or "best epoch:" not in result.stdout:
        fail("the documented example printed no status:\n" + result.stdout)
    print(result.stdout, end="")


def expect_equal(what, got, want):
    if not np.array_equal(np.asarray(got), np.asarray(want)):
        fail(f"{what} differs from the run file")


def check_rows(kind, table, f, index, epoch_column):
    embedding = f["series/embedding/value"][index]
    assignments = f["series/assignments/value"][index]
    n = embedding.shape[0]
    if table.shape[0] != n:
        fail(f"{kind}: {table.shape[0]} rows for {n} view points")
    expect_equal(kind + " index", table["index"], f["view/indices"][:])
    expect_equal(kind + " label", table["label"], f["view/labels"][:])
    split = table["split"]
    if split.dtype.kind in "SUO":
        split = np.array([0 if s in (b"train", "train") else 1 for s in split])
    expect_equal(kind + " split", split, f["view/split"][:])
    expect_equal(kind + " cluster", table["cluster"], assignments)
    for d in range(embedding.shape[1]):
        expect_equal(f"{kind} z{d}", table[f"z{d}"].astype(np.float32), embedding[:, d])
    if epoch_column:
        expect_equal(kind + " epoch", table["epoch"], np.full(n, f["series/embedding/step"][index]))


def embedding(run, index, npy, csv, all_npy=None):
    with h5py.File(run, "r", swmr=True) as f:
        check_rows("npy", np.load(npy), f, index, False)
        check_rows("csv", np.genfromtxt(csv, delimiter=",", names=True, dtype=None, encoding="utf-8"), f, index, False)
        if all_npy:
            table = np.load(all_npy)
            epochs = f["series/embedding/value"].shape[0]
            n = f["view/labels"].shape[0]
            if table.shape[0] != epochs * n:
                fail(f"all epochs: {table.shape[0]} rows for {epochs} x {n}")
            for e in range(epochs):
                check_rows(f"all epochs, epoch {e + 1}", table[e * n:(e + 1) * n], f, e, True)
    print("check_python: the embedding files match the run file")


def encoder(run):
    sys.path.insert(0, str(ROOT / "python"))
    import centroid_encoder

    with h5py.File(run, "r", swmr=True) as f:
        best = int(f["best/epoch"][()])
        steps = list(f["series/embedding/step"][:])
        if best not in steps:
            fail(f"the best epoch {best} has no stored embedding")
        want = f["series/embedding/value"][steps.index(best)][:100]
        images = f["view/images"][:100]
    got = centroid_encoder.embed(run, images)
    err = float(np.abs(got - want).max())
    if not err <= 1e-4:
        fail(f"the rebuilt encoder differs from the C++ embedding by {err:g} (limit 1e-4)")
    print(f"check_python: the PyTorch encoder reproduces the C++ embedding of 100 images (max |diff| {err:.2g})")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "docs":
        docs_example(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "encoder":
        encoder(sys.argv[2])
    elif len(sys.argv) in (6, 7) and sys.argv[1] == "embedding":
        embedding(sys.argv[2], int(sys.argv[3]), *sys.argv[4:])
    else:
        fail(__doc__)
