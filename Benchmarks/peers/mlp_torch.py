"""PyTorch peer for the 'MLP 784-256-10 batch 128 SGD step' benchmark.

Same workload as Benchmarks/Benchmarks/BackpropBenchmarks: Linear(784,256), ReLU,
Linear(256,10), softmax cross-entropy (mean over the batch), one plain SGD step.
Prints the median time per step in milliseconds.
"""
import argparse
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--steps", type=int, default=300)
args = parser.parse_args()
torch.set_num_threads(args.threads)

for dtype in (torch.float64, torch.float32):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(128, 784, dtype=dtype)
    y = torch.randint(0, 10, (128,))

    def step():
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    for _ in range(30):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    name = "f64" if dtype == torch.float64 else "f32"
    print(f"torch {torch.__version__} MLP 784-256-10 batch 128 SGD step {name}: "
          f"median {statistics.median(times) * 1e3:.3f} ms, p25 {statistics.quantiles(times, n=4)[0] * 1e3:.3f} ms "
          f"({args.threads} threads)")
