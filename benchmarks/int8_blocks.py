"""Each block of a bitsandbytes model on a CPU, measured against the plan's count for one block.

On a CPU the plan (``engine/memory/plan.py``) counts what one block of an int8 model makes while
it reads a page: its matmul temporaries (``int8_block_bytes``) and the activations of its pass.
``full_size.py`` checks the page's peak as a whole, where the other terms (weights, inputs, the
runtime) can hide a block's error. Here the model is loaded in this process through
the app's backend and the script's synthetic page is read at each size given; each outermost
block (a vision block, a decoder layer: what ``backends/vlm_heap.py`` trims after) is measured
alone: the peak RSS while it runs over the RSS at its start, the heap trimmed before it.

Printed per page and list of blocks: the tokens a block reads, the plan's bytes for one block,
the largest and the median block measured, and plan / largest. Linux only (``clear_refs``).

    python benchmarks/int8_blocks.py --model qwen2_vl --folder /tmp/ablage-fullsize/qwen2_vl \\
        --pages 560x792,1240x1754
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIB = 1 << 20


def page_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="engine name: got_ocr2, qwen2_vl, janus")
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--quantization", default="int8")
    parser.add_argument("--pages", default="560x792", help="page sizes, comma-separated WxH")
    parser.add_argument("--jsonl", type=Path, help="append one JSON row per page and list")
    args = parser.parse_args(argv)
    args.pages = [page_size(size) for size in args.pages.split(",")]
    return args


def hook_blocks(model: Any, measured: dict[str, list[int]]) -> None:
    """Per block: trim the heap and reset the peak before it, then note its peak over its
    start under its list's name (one-token decoding steps are left out)."""
    from ablage_desktop.engine.backends.vlm_heap import outermost_blocks, read_many_tokens
    from ablage_desktop.engine.backends.vlm_worker import reset_peak, usage
    from ablage_desktop.engine.memory.probe import glibc

    libc = glibc()
    started: dict[int, int] = {}

    def before(module: Any, args: Any) -> None:
        if libc is not None:
            libc.malloc_trim(0)
        reset_peak()
        started[id(module)] = usage().rss

    def after(name: str) -> Callable[[Any, Any, Any], None]:
        def hook(module: Any, args: Any, output: Any) -> None:
            if read_many_tokens(output):
                measured.setdefault(name, []).append(usage().peak_rss - started[id(module)])

        return hook

    for name, blocks in outermost_blocks(model).items():
        for block in blocks:
            block.register_forward_pre_hook(before)
            block.register_forward_hook(after(name))


def planned(plan: Any, width: int, height: int) -> dict[str, tuple[int, int]]:
    """The plan's tokens and bytes for one vision block and one decoder layer at this page."""
    seen = plan.vision_pass(width, height)
    page = plan.page(width, height, 1)
    prefill = plan.prompt_tokens + seen.tokens
    temporaries = plan.temporaries
    return {
        "vision": (seen.patches, temporaries.vision(seen.patches) + page.vision),
        "decoder": (prefill, temporaries.decoder(prefill) + page.decoder),
    }


def kind_of(list_name: str, lists: dict[str, list[Any]]) -> str | None:
    """Which of the plan's blocks a list's blocks are: the vision tower's, the decoder's (the
    longest list outside the vision tower), or neither (an aligner's few layers)."""
    from ablage_desktop.engine.backends.vlm_memory import in_vision

    if in_vision(f"{list_name}."):
        return "vision"
    others = [name for name in lists if not in_vision(f"{name}.")]
    longest = max(others, key=lambda name: len(lists[name]), default=None)
    return "decoder" if list_name == longest else None


def rows_for(
    page: tuple[int, int], measured: dict[str, list[int]], lists: dict[str, list[Any]], plan: Any
) -> list[dict[str, Any]]:
    counted = planned(plan, *page)
    rows = []
    for name, peaks in measured.items():
        kind = kind_of(name, lists)
        tokens, plan_bytes = counted[kind] if kind else (None, None)
        rows.append(
            {
                "page": f"{page[0]}x{page[1]}",
                "blocks": name,
                "kind": kind,
                "tokens": tokens,
                "plan_block": plan_bytes,
                "largest": max(peaks),
                "median": int(statistics.median(peaks)),
                "measured_blocks": len(peaks),
                "list_blocks": len(lists[name]),
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| page | blocks | tokens | plan MiB | largest MiB | median MiB | plan / largest |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        plan = row["plan_block"]
        ratio = f"{plan / row['largest']:.2f}" if plan and row["largest"] > 0 else "-"
        lines.append(
            f"| {row['page']} | {row['blocks']} ({row['measured_blocks']}) | "
            f"{row['tokens'] or '-'} | {plan // MIB if plan else '-'} | "
            f"{row['largest'] // MIB} | {row['median'] // MIB} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    args = parse(sys.argv[1:] if argv is None else argv)
    from full_size import synthetic_page

    from ablage_desktop.engine import PageImage
    from ablage_desktop.engine.backends import REGISTRY
    from ablage_desktop.engine.backends.transformers_vlm import VisionLanguageOptions
    from ablage_desktop.engine.backends.vlm_heap import outermost_blocks

    spec = REGISTRY[args.model]
    options = VisionLanguageOptions(
        engine=args.model,
        source=str(args.folder),
        quantization=args.quantization,
        device="cpu",
        isolated=False,
        max_new_tokens=1,
    )
    plan = spec.estimate(options).plan
    assert plan is not None, "the model folder gives no plan"
    backend = spec.load(args.model, options)
    rows: list[dict[str, Any]] = []
    try:
        model = backend.model  # type: ignore[attr-defined]
        lists = outermost_blocks(model)
        measured: dict[str, list[int]] = {}
        hook_blocks(model, measured)
        for width, height in args.pages:
            measured.clear()
            backend.recognize(PageImage(Path("page.png"), 0, synthetic_page(width, height), 150))
            rows += rows_for((width, height), measured, lists, plan)
    finally:
        backend.close()
    sys.stdout.write(table(rows) + "\n")
    if args.jsonl:
        with args.jsonl.open("a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({"model": args.model, **row}) + "\n")
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
