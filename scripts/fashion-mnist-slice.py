#!/usr/bin/python3
"""Writes the Fashion-MNIST slice the tests use (datasets/fashion-mnist-slice/): 100 training images of each
class from the official training set and 50 of each class from the official test set, drawn with a fixed
seed, as gzip-compressed IDX files. Needs Debian's dataset-fashion-mnist and python3-numpy."""
import gzip, os, sys
import numpy as np

SOURCE = "/usr/share/datasets/fashion-mnist"
TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "datasets", "fashion-mnist-slice")

def read(name):
    with gzip.open(os.path.join(SOURCE, name + ".gz")) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)

def write(name, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.GzipFile(os.path.join(TARGET, name + ".gz"), "wb", mtime=0) as f:
        f.write(header + array.tobytes())

def sliced(split, per_class, seed):
    images, labels = read(f"{split}-images-idx3-ubyte"), read(f"{split}-labels-idx1-ubyte")
    rng = np.random.default_rng(seed)
    chosen = np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)])
    chosen = rng.permutation(chosen)
    write(f"{split}-images-idx3-ubyte", images[chosen])
    write(f"{split}-labels-idx1-ubyte", labels[chosen])

os.makedirs(TARGET, exist_ok=True)
sliced("train", 100, seed=1)
sliced("t10k", 50, seed=2)
print("wrote", TARGET, file=sys.stderr)
