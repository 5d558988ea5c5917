"""What a payment QR code and a shipping barcode look like on a page (for the code step's tests
and ``benchmarks/copies.py --modes coded``): drawn, not encoded; no engine decodes them."""

from __future__ import annotations

import numpy as np


def qr_modules(size: int, seed: int) -> np.ndarray:
    """A QR code's look, ``size`` modules a side (True dark): the three finder squares, their
    white separators, the timing rows and an alignment square, the rest at random as data
    modules are."""
    rng = np.random.default_rng(seed)
    dark = rng.random((size, size)) < 0.5
    dark[6, :] = dark[:, 6] = np.arange(size) % 2 == 0
    for row, column in ((0, 0), (0, size - 7), (size - 7, 0)):
        dark[max(0, row - 1) : row + 8, max(0, column - 1) : column + 8] = False
        square = np.zeros((7, 7), bool)
        square[[0, -1], :] = square[:, [0, -1]] = square[2:5, 2:5] = True
        dark[row : row + 7, column : column + 7] = square
    align = np.zeros((5, 5), bool)
    align[[0, -1], :] = align[:, [0, -1]] = align[2, 2] = True
    dark[size - 9 : size - 4, size - 9 : size - 4] = align
    return dark


def datamatrix_modules(size: int, seed: int) -> np.ndarray:
    """A DataMatrix code's look, ``size`` modules a side: its L of solid left and bottom
    edges, the clock track alternating along the two others, data at random inside."""
    rng = np.random.default_rng(seed)
    dark = rng.random((size, size)) < 0.5
    dark[:, 0] = dark[-1, :] = True
    dark[0, :] = dark[:, -1] = np.arange(size) % 2 == 0
    dark[-1, -1] = True
    return dark


def barcode_modules(seed: int, symbols: int = 20) -> np.ndarray:
    """A Code 128 symbol's look as one row of modules (True dark): its start, ``symbols``
    characters of three bars and three spaces of 1-4 modules each, its stop."""
    rng = np.random.default_rng(seed)
    widths = [2, 1, 1, 2, 1, 4, *rng.integers(1, 5, 6 * symbols).tolist(), 2, 3, 3, 1, 1, 1, 2]
    return np.repeat(np.arange(len(widths)) % 2 == 0, widths)


def drawn(modules: np.ndarray, module: int, height: int | None = None) -> np.ndarray:
    """``modules`` (2D, or a barcode's one row made ``height`` pixels tall) at ``module``
    pixels a module."""
    if modules.ndim == 1:
        modules = np.repeat(modules[None, :], max(1, round((height or module) / module)), axis=0)
    return np.kron(modules, np.ones((module, module), bool))
