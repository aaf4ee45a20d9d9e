"""The arithmetic of notebooks/hidden-layers.md in bare Python + numpy.

The peer for `nbrun notebooks/hidden-layers.md`: the same 3-5-4-6-2 tanh
network with a softmax cross-entropy output, one forward and one backward pass,
then every identity of the note evaluated for every layer i and neuron j:
dL/dh_ij as the sum over m, as the dot product with column j of W_{i+1},
the whole layer as W_{i+1}^T grad a_{i+1}, and grad a_i = grad h_i * g'(a_i).
"""
import numpy as np

rng = np.random.default_rng(7)
widths = [3, 5, 4, 6, 2]
W = [None] + [rng.uniform(-1, 1, (widths[i], widths[i - 1])) for i in range(1, len(widths))]
b = [None] + [rng.uniform(-1, 1, widths[i]) for i in range(1, len(widths))]
x = rng.uniform(-1, 1, widths[0])
y = np.zeros(widths[-1])
y[1] = 1.0

L = len(widths) - 1
h = [x]
a = [None]
for i in range(1, L + 1):
    a.append(W[i] @ h[i - 1] + b[i])
    h.append(np.tanh(a[i]) if i < L else a[i])
p = np.exp(a[L] - a[L].max())
p /= p.sum()
loss = -np.sum(y * np.log(p))

grad_a = [None] * (L + 1)
grad_h = [None] * (L + 1)
grad_a[L] = p - y
for i in range(L - 1, 0, -1):
    grad_h[i] = W[i + 1].T @ grad_a[i + 1]
    grad_a[i] = grad_h[i] * (1 - np.tanh(a[i]) ** 2)

checked = 0
for i in range(1, L):
    for j in range(widths[i]):
        by_sum = sum(grad_a[i + 1][m] * W[i + 1][m, j] for m in range(widths[i + 1]))
        by_dot = W[i + 1][:, j] @ grad_a[i + 1]
        assert abs(by_sum - grad_h[i][j]) <= 1e-9 * max(1.0, abs(by_sum))
        assert abs(by_dot - grad_h[i][j]) <= 1e-9 * max(1.0, abs(by_dot))
        checked += 2
    layer = W[i + 1].T @ grad_a[i + 1]
    assert np.allclose(layer, grad_h[i], rtol=1e-9, atol=1e-12)
    assert np.allclose(grad_h[i] * (1 - np.tanh(a[i]) ** 2), grad_a[i], rtol=1e-9, atol=1e-12)
    checked += 2
print(f"loss {loss:.6f}, {checked} identities hold")
