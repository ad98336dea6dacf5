"""The pandas side of the CSV reading benchmark: read_csv with its defaults (C engine).

usage: csv_reading.py FILE REPEATS — prints the seconds of each timed read after one warm-up read.
"""
import gc
import sys
import time

import pandas as pd


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    frame = pd.read_csv(path)
    assert frame.shape == (1_000_000, 20), frame.shape
    times = []
    for _ in range(repeats):
        del frame
        gc.collect()
        start = time.perf_counter()
        frame = pd.read_csv(path)
        times.append(time.perf_counter() - start)
    print(" ".join(repr(t) for t in times))


if __name__ == "__main__":
    main()
