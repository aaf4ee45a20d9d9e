"""micrograd peer for the 'two-moons scalar tape forward+backward' benchmark.

micrograd's demo workload: MLP(2, [16, 16, 1]) over 100 two-moons points, SVM
max-margin loss plus 1e-4 * sum(p*p), forward and backward. The two-moons points are
drawn here with numpy (no scikit-learn needed); timing does not depend on them.
"""
import statistics
import time

import numpy as np
from micrograd.engine import Value
from micrograd.nn import MLP

rng = np.random.default_rng(1)
n = 100
angles = np.pi * (np.arange(n) % 50) / 49
upper = np.arange(n) < 50
X = np.stack([np.where(upper, np.cos(angles), 1 - np.cos(angles)),
              np.where(upper, np.sin(angles), 0.5 - np.sin(angles))], axis=1) + 0.1 * rng.standard_normal((n, 2))
y = np.where(upper, 1, -1)
# Plain Python numbers, as in micrograd's demo: numpy scalars would slow micrograd down.
X, y = X.tolist(), y.tolist()

model = MLP(2, [16, 16, 1])


def count_nodes(root):
    seen, stack = set(), [root]
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        stack.extend(v._prev)
    return len(seen)


def forward_backward():
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum((p * p for p in model.parameters()))
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    return total


total = forward_backward()
print(f"micrograd graph: {count_nodes(total)} nodes")
times = []
for _ in range(10):
    start = time.perf_counter()
    forward_backward()
    times.append(time.perf_counter() - start)
print(f"micrograd two-moons forward+backward: median {statistics.median(times) * 1e3:.1f} ms")
