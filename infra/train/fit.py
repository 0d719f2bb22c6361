"""Fit the multi-head hashed-feature model with numpy: deterministic (fixed seed, one thread, fixed order).

Two architectures are implemented so they can be compared on the same features and split:
- "linear": multinomial logistic regression per head over the shared hashed features (what ships);
- "hidden": a shared hidden layer (an embedding bag of width `hidden`, ReLU) under the same heads.
Both train with Adagrad on minibatches; only the rows a batch touches are updated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from heed.triage.model import HEADS

HEAD_NAMES = tuple(HEADS)
OFFSETS = {}
_start = 0
for _name, _labels in HEADS.items():
    OFFSETS[_name] = (_start, _start + len(_labels))
    _start += len(_labels)
CLASSES = _start


@dataclass
class Matrix:
    """Examples as CSR rows of hashed buckets (with repeats), and their labels per head (-1: none)."""

    indptr: np.ndarray  # int64, n + 1
    buckets: np.ndarray  # int64, full-width buckets (mask them for smaller hash sizes)
    is_char: np.ndarray  # bool, per entry: a character n-gram (dropped for the word-only variant)
    labels: np.ndarray  # int16, n x heads, class index within the head or -1
    weights: np.ndarray  # float32, n

    def select(self, rows: np.ndarray) -> Matrix:
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        return Matrix(indptr, self.buckets[take], self.is_char[take], self.labels[rows], self.weights[rows])

    def without_chars(self) -> Matrix:
        keep = ~self.is_char
        counts = np.add.reduceat(keep.astype(np.int64), self.indptr[:-1])
        counts[np.diff(self.indptr) == 0] = 0
        indptr = np.concatenate([[0], np.cumsum(counts)])
        return Matrix(indptr, self.buckets[keep], self.is_char[keep], self.labels, self.weights)


@dataclass
class Fitted:
    arch: str
    bits: int
    first: np.ndarray  # buckets x (CLASSES or hidden)
    first_bias: np.ndarray
    second: np.ndarray | None = None  # hidden x CLASSES
    second_bias: np.ndarray | None = None


def _batch(m: Matrix, rows: np.ndarray, mask: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    starts, ends = m.indptr[rows], m.indptr[rows + 1]
    lengths = ends - starts
    take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
    entry_row = np.repeat(np.arange(len(rows)), lengths)
    values = (1.0 / np.sqrt(lengths.astype(np.float32)))[entry_row].astype(np.float32)
    seg = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return m.buckets[take] & mask, values, entry_row, seg


def _heads_grad(logits: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    grad = np.zeros_like(logits)
    loss = 0.0
    for h, name in enumerate(HEAD_NAMES):
        lo, hi = OFFSETS[name]
        y = labels[:, h]
        has = y >= 0
        if not has.any():
            continue
        z = logits[has, lo:hi]
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        w = weights[has][:, None]
        target = np.zeros_like(p)
        target[np.arange(len(p)), y[has]] = 1.0
        loss += float(-(w[:, 0] * np.log(p[np.arange(len(p)), y[has]] + 1e-9)).sum())
        grad[np.flatnonzero(has)[:, None], np.arange(lo, hi)[None, :]] = (p - target) * w
    return grad, loss


def fit(
    m: Matrix,
    *,
    arch: str = "linear",
    bits: int = 18,
    hidden: int = 64,
    epochs: int = 6,
    batch: int = 256,
    rate: float = 0.3,
    l2: float = 1e-6,
    seed: int = 12,
) -> Fitted:
    rng = np.random.default_rng(seed)
    mask = (1 << bits) - 1
    n = len(m.weights)
    width = CLASSES if arch == "linear" else hidden
    first = (
        np.zeros((1 << bits, width), np.float32)
        if arch == "linear"
        else rng.normal(0, 0.1, (1 << bits, width)).astype(np.float32)
    )
    first_bias = np.zeros(width, np.float32)
    acc_first = np.full_like(first, 1e-6)
    acc_bias = np.full_like(first_bias, 1e-6)
    if arch == "hidden":
        second = rng.normal(0, 1.0 / np.sqrt(hidden), (hidden, CLASSES)).astype(np.float32)
        second_bias = np.zeros(CLASSES, np.float32)
        acc_second = np.full_like(second, 1e-6)
        acc_second_bias = np.full_like(second_bias, 1e-6)
    weights = m.weights / m.weights.mean()
    for _epoch in range(epochs):
        order = rng.permutation(n)
        for begin in range(0, n, batch):
            rows = order[begin : begin + batch]
            idx, values, entry_row, seg = _batch(m, rows, mask)
            pre = np.add.reduceat(first[idx] * values[:, None], seg, axis=0) + first_bias
            if arch == "linear":
                logits = pre
            else:
                act = np.maximum(pre, 0.0)
                logits = act @ second + second_bias
            grad, _ = _heads_grad(logits, m.labels[rows], weights[rows])
            grad /= len(rows)
            if arch == "hidden":
                g_second = act.T @ grad
                g_second_bias = grad.sum(axis=0)
                grad = (grad @ second.T) * (pre > 0)
                acc_second += g_second**2
                second -= rate * g_second / np.sqrt(acc_second)
                acc_second_bias += g_second_bias**2
                second_bias -= rate * g_second_bias / np.sqrt(acc_second_bias)
            uniq, inverse = np.unique(idx, return_inverse=True)
            contrib = grad[entry_row] * values[:, None]
            g = np.stack(
                [np.bincount(inverse, weights=contrib[:, c], minlength=len(uniq)) for c in range(width)],
                axis=1,
            ).astype(np.float32)
            g += l2 * first[uniq]
            acc_first[uniq] += g**2
            first[uniq] -= rate * g / np.sqrt(acc_first[uniq])
            g_bias = grad.sum(axis=0)
            acc_bias += g_bias**2
            first_bias -= rate * g_bias / np.sqrt(acc_bias)
    if arch == "linear":
        return Fitted(arch, bits, first, first_bias)
    return Fitted(arch, bits, first, first_bias, second, second_bias)


def predict_logits(f: Fitted, m: Matrix, chunk: int = 4096) -> np.ndarray:
    mask = (1 << f.bits) - 1
    out = []
    for begin in range(0, len(m.weights), chunk):
        rows = np.arange(begin, min(begin + chunk, len(m.weights)))
        idx, values, _, seg = _batch(m, rows, mask)
        pre = np.add.reduceat(f.first[idx] * values[:, None], seg, axis=0) + f.first_bias
        out.append(pre if f.arch == "linear" else np.maximum(pre, 0.0) @ f.second + f.second_bias)
    return np.concatenate(out)


def predictions(logits: np.ndarray) -> dict[str, np.ndarray]:
    return {name: logits[:, lo:hi].argmax(axis=1) for name, (lo, hi) in OFFSETS.items()}


def quantize(f: Fitted) -> tuple[bytes, list[float], list[float]]:
    """int8 per class (symmetric, scale = max |w| / 127), stored as uint8 = int8 + 128."""
    if f.arch != "linear":
        raise ValueError("only the linear model ships")
    peak = np.abs(f.first).max(axis=0)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float64)
    q = np.clip(np.rint(f.first / scales[None, :]), -127, 127).astype(np.int16) + 128
    return q.astype(np.uint8).tobytes(), [float(s) for s in scales], [float(b) for b in f.first_bias]


def dequantized(f: Fitted, matrix: bytes, scales: Sequence[float]) -> Fitted:
    q = np.frombuffer(matrix, np.uint8).reshape(1 << f.bits, CLASSES).astype(np.float32) - 128.0
    return Fitted(f.arch, f.bits, q * np.asarray(scales, np.float32)[None, :], f.first_bias)
