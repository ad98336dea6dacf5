"""The PyTorch side of the MLP training benchmark; mirrors MlpTrainingWorker.cs step for step.

usage: mlp_training.py DATA TORCH_THREADS EPOCHS [--foreach]
OpenBLAS's threads come from OPENBLAS_NUM_THREADS, set by the caller before Python starts.
Prints one line: "rows_per_second final_loss" (the loss on all rows after training).
"""
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

ROWS, FEATURES, BATCH = 50_000, 32, 256


def main():
    path, threads, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    use_foreach = "--foreach" in sys.argv[4:]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    data = np.fromfile(path, dtype="<f4")
    x = torch.from_numpy(data[: ROWS * FEATURES].reshape(ROWS, FEATURES).copy())
    y = torch.from_numpy(data[ROWS * FEATURES :].reshape(ROWS, 1).copy())
    model = torch.nn.Sequential(
        torch.nn.Linear(FEATURES, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, foreach=use_foreach)

    def run_epoch():
        order = torch.randperm(ROWS)
        for batch in order.split(BATCH):
            loss = F.mse_loss(model(x.index_select(0, batch)), y.index_select(0, batch))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()

    run_epoch()  # warm-up, as on the C# side
    start = time.perf_counter()
    for _ in range(epochs):
        run_epoch()
    elapsed = time.perf_counter() - start
    with torch.no_grad():  # untimed: the loss on all rows, comparable between the sides
        final = F.mse_loss(model(x), y).item()
    print(f"{ROWS * epochs / elapsed:.1f} {final:.5f}")


if __name__ == "__main__":
    main()
