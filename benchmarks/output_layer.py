"""The decoder's output layer in int8 against bf16: time per generated token, and its logits.

Under int8 the app leaves each model's output layer (``lm_head``; GOT-OCR2's and Qwen2-VL's is
their token embedding, tied) in 16 bits, as transformers does by default. It is the largest
single weight in three of the four families (Janus-Pro-1B: 102,400 x 2,048, 400 MiB in bf16),
and issue 22's "int8 resident <= 0.6x bf16" misses Janus on a CPU by that layer. This script
measures what holding it in int8 would cost, with the published shapes and random weights
(scaled as a trained layer's, a few large features in the hidden state as real ones have), on
the device given:

* ``bf16``: the layer as the app holds it;
* ``bitsandbytes``: ``Linear8bitLt`` (LLM.int8(): int8 weights and int8 activations, outlier
  features in 16 bits), what transformers would make of it without the skip;
* ``weight-only``: int8 rows with a float32 scale per 64 weights, turned back into bf16 a
  chunk of rows at a time for the matmul (the activations stay bf16).

Printed per family: milliseconds per generated token (one hidden state, as in decoding; the
median of ``--tokens``), the bytes held, the largest logit error as a share of the largest
logit, and in how many of ``--states`` hidden states the top token is the same as bf16's.

    python benchmarks/output_layer.py                    # the CPU, all four shapes
    python benchmarks/output_layer.py --device cuda --families janus
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

MIB = 1 << 20
SHAPES = {
    "got_ocr2": (151_860, 1_024),
    "qwen2_vl": (151_936, 1_536),
    "qwen2_5_vl": (151_936, 2_048),
    "janus": (102_400, 2_048),
}
"""Vocabulary x hidden size of each seed checkpoint's output layer (their config.json)."""
GROUP = 64
"""Weights per float32 scale in the weight-only form."""
CHUNK_ROWS = 1_024
"""Rows turned back into bf16 at once (2 MiB to 4 MiB at these widths: about the fastest
here; 256 and 4,096 were slower on this CPU)."""
OUTLIERS = 4
"""Hidden features 20x the others, as trained decoders' hidden states have."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", default=",".join(SHAPES), help="comma-separated")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--tokens", type=int, default=5, help="timed tokens per form")
    parser.add_argument("--states", type=int, default=20, help="hidden states compared")
    parser.add_argument("--shape", help="VOCABxHIDDEN instead of the families' (tests)")
    return parser.parse_args(argv)


def weight_only(weight: Any) -> tuple[Any, Any]:
    """``weight`` as int8 groups of ``GROUP`` with a float32 scale each."""
    import torch

    rows, width = weight.shape
    groups = weight.float().view(rows, width // GROUP, GROUP)
    scales = groups.abs().amax(-1, keepdim=True).clamp_min(1e-12) / 127
    return torch.round(groups / scales).to(torch.int8), scales


def weight_only_logits(hidden: Any, quantized: Any, scales: Any) -> Any:
    import torch

    rows = quantized.shape[0]
    out = torch.empty(hidden.shape[0], rows, dtype=hidden.dtype, device=hidden.device)
    for start in range(0, rows, CHUNK_ROWS):
        part = quantized[start : start + CHUNK_ROWS].to(hidden.dtype)
        weight = (part * scales[start : start + CHUNK_ROWS].to(hidden.dtype)).flatten(1)
        out[:, start : start + CHUNK_ROWS] = hidden @ weight.T
    return out


def bitsandbytes_layer(weight: Any, device: str) -> Any:
    """transformers' int8 layer (threshold 6.0) holding ``weight``; None without the package."""
    try:
        import bitsandbytes as bnb
    except ImportError:
        return None
    rows, width = weight.shape
    layer = bnb.nn.Linear8bitLt(width, rows, bias=False, has_fp16_weights=False, threshold=6.0)
    layer.weight = bnb.nn.Int8Params(weight.cpu(), requires_grad=False, has_fp16_weights=False)
    return layer.to(device)  # quantizes


def milliseconds(step: Callable[[], Any], tokens: int, device: str) -> float:
    import torch

    step()  # first call: kernels, allocations
    times = []
    for _ in range(tokens):
        started = time.perf_counter()
        step()
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def hidden_states(count: int, width: int, device: str) -> Any:
    import torch

    states = torch.randn(count, width)
    states[:, :OUTLIERS] *= 20
    return states.to(device, torch.bfloat16)


def agreement(forward: Callable[[Any], Any], states: Any, weight: Any) -> tuple[float, int]:
    """The largest logit error over the largest logit, and the states whose top token
    matches float32's over bf16 weights."""
    exact = states.float() @ weight.float().T
    got = forward(states).float()
    error = ((got - exact).abs().amax(1) / exact.abs().amax(1)).max().item()
    same = int((got.argmax(1) == exact.argmax(1)).sum().item())
    return error, same


def measure(family: str, rows: int, width: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    import torch

    torch.manual_seed(0)
    # a trained layer's scale: rows of norm about 1 (random weights, Gaussian)
    weight = (torch.randn(rows, width) / width**0.5).to(args.device, torch.bfloat16)
    one = hidden_states(1, width, args.device)
    states = hidden_states(args.states, width, args.device)
    forms: dict[str, tuple[Callable[[Any], Any], int]] = {
        "bf16": (lambda h: h @ weight.T, weight.numel() * 2)
    }
    quantized, scales = weight_only(weight)
    forms["weight-only"] = (
        lambda h: weight_only_logits(h, quantized, scales),
        quantized.numel() + scales.numel() * 4,
    )
    layer = bitsandbytes_layer(weight, args.device)
    if layer is not None:
        forms["bitsandbytes"] = (layer, layer.weight.numel() + rows * 4)
    found = []
    with torch.inference_mode():
        for form, (forward, held) in forms.items():
            error, same = agreement(forward, states, weight)
            found.append(
                {
                    "family": family,
                    "form": form,
                    "ms_per_token": milliseconds(
                        lambda f=forward: f(one), args.tokens, args.device
                    ),
                    "held": held,
                    "error": error,
                    "same_top": same,
                }
            )
    return found


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.shape:
        vocab, _, hidden = args.shape.partition("x")
        shapes = {"custom": (int(vocab), int(hidden))}
    else:
        shapes = {name: SHAPES[name] for name in args.families.split(",")}
    print(
        f"| family | form | ms per token ({args.device}) | held MiB | largest logit error | "
        f"same top token |"
    )
    print("|---|---|---|---|---|---|")
    found = []
    for family, (rows, width) in shapes.items():
        for row in measure(family, rows, width, args):
            found.append(row)
            print(
                f"| {family} | {row['form']} | {row['ms_per_token']:.1f} | "
                f"{row['held'] / MIB:,.0f} | {row['error']:.2%} | "
                f"{row['same_top']} of {args.states} |",
                flush=True,
            )
    return found


if __name__ == "__main__":
    main()
