"""The peer of the images benchmark's epoch part: torchvision's ResNet-18 trained on the same prepared images
(float32 [N, 3, R, R] and int64 labels written by the C# side), in the same batches and order, with AdamW as
the C# side, in the memory layout named (contiguous or channels-last: the model and the images relaid). Prints one
line: the seconds of each timed epoch, comma-separated."""
import sys, time
import numpy as np
import torch, torchvision

images_path, labels_path, size, batch, epochs, threads, layout = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
torch.set_num_threads(threads)
torch.set_flush_denormal(True)
torch.manual_seed(0)
labels = torch.from_numpy(np.fromfile(labels_path, dtype=np.int64))
images = torch.from_numpy(np.fromfile(images_path, dtype=np.float32).reshape(len(labels), 3, size, size))
model = torchvision.models.resnet18(num_classes=10)
if layout == "channels-last":
    model = model.to(memory_format=torch.channels_last)
    images = images.contiguous(memory_format=torch.channels_last)
model.train()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)

def epoch():
    start = time.perf_counter()
    for first in range(0, len(labels), batch):
        x, y = images[first:first + batch], labels[first:first + batch]
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start

epoch()  # warm-up
print(",".join(f"{epoch():.4f}" for _ in range(epochs)))
