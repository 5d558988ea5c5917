"""Memory plans against what the tiny models really load and what their processors really make.

The plan is worked out from the folder's files before anything loads; here each family is
loaded for real (transformers, bitsandbytes on the CPU) and the plan is held to the bytes of
the tensors it holds, and to the image tokens its own processor puts into the sequence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import text_page

torch = pytest.importorskip("torch")

from PIL import Image  # noqa: E402
from tiny_models import build_all, build_qwen2_5_vl  # noqa: E402

from ablage_desktop.engine import ModelWarmedUp, PageImage, load_config  # noqa: E402
from ablage_desktop.engine.backends import REGISTRY  # noqa: E402
from ablage_desktop.engine.backends.transformers_vlm import (  # noqa: E402
    VisionLanguageOptions,
)
from ablage_desktop.engine.backends.vlm_embedding import Int8Embedding  # noqa: E402
from ablage_desktop.engine.core import EngineCore  # noqa: E402
from ablage_desktop.engine.events import Event, ModelStateChanged  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated")

ENGINES = {
    "got_ocr2": "got_ocr2",
    "qwen2_vl": "qwen2_vl",
    "qwen2_5_vl": "qwen2_vl",
    "janus": "janus",
}
"""Tiny folder -> the engine that loads it (Qwen2.5-VL through the qwen2_vl engine)."""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny_plans")
    return {**build_all(root), "qwen2_5_vl": build_qwen2_5_vl(root / "qwen2_5_vl")}


def options(folder: str, tiny: dict[str, Path], **changes: object) -> VisionLanguageOptions:
    settings: dict[str, object] = {
        "max_new_tokens": 4,
        "device": "cpu",
        "isolated": False,  # the tests look into the loaded model
        **changes,
    }
    return VisionLanguageOptions(engine=ENGINES[folder], source=str(tiny[folder]), **settings)


def tensor_bytes(model: object) -> int:
    """What the loaded model's tensors hold, bitsandbytes' int8 row scales and 4-bit
    quantization states (block scales, their own scales, code tables) included."""

    def size(tensor: object) -> int:
        return tensor.numel() * tensor.element_size()  # type: ignore[attr-defined]

    total = 0
    for tensor in (*model.parameters(), *model.buffers()):  # type: ignore[attr-defined]
        total += size(tensor)
        scales = getattr(tensor, "SCB", None)
        if scales is not None:
            total += size(scales)
        state = getattr(tensor, "quant_state", None)
        while state is not None:
            total += size(state.absmax) + size(state.code)
            state = state.state2
    return total


@pytest.mark.parametrize("quantization", ["fp32", "bf16", "int8", "int4"])
@pytest.mark.parametrize("folder", list(ENGINES))
def test_the_planned_weights_are_what_the_load_holds(
    tiny: dict[str, Path], folder: str, quantization: str
) -> None:
    pytest.importorskip("bitsandbytes")
    spec = REGISTRY[ENGINES[folder]]
    opts = options(folder, tiny, quantization=quantization)
    plan = spec.estimate(opts).plan
    assert plan is not None and plan.quantization == quantization

    backend = spec.load(folder, opts)
    try:
        held = tensor_bytes(backend.model)  # type: ignore[attr-defined]
        blocks = quantized_blocks(backend.model)  # type: ignore[attr-defined]
        embedding = backend.model.get_input_embeddings()  # type: ignore[attr-defined]
    finally:
        backend.close()

    assert abs(plan.weights - held) <= 0.03 * held, (plan.weights, held)
    # on a CPU the token embedding stays a view of the mapped checkpoint (int8 on a GPU only)
    assert not isinstance(embedding, Int8Embedding)
    # bitsandbytes' matmuls on a CPU make temporaries, and the heap is given back after each
    # block: a page holds the largest block's (int8: per token it reads; 4-bit: its weights)
    assert bool(blocks) == (quantization in ("int8", "int4"))
    if quantization == "int4":
        largest = max(weights for weights, _, _ in blocks.values())
        assert plan.temporaries.fixed == largest * plan.activation_bytes
    if quantization == "int8":
        vision = {tuple(sorted(layers)) for _, layers, seen in blocks.values() if seen}
        decoder = {tuple(sorted(layers)) for _, layers, seen in blocks.values() if not seen}
        assert set(plan.temporaries.vision_blocks) == vision
        assert set(plan.temporaries.decoder_blocks) == decoder


def file_mappings(folder: Path) -> list[tuple[int, int]]:
    """The address ranges this process maps from ``folder``'s safetensors files."""
    ranges = []
    for line in Path("/proc/self/maps").read_text(encoding="utf-8").splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].startswith(str(folder)) and ".safetensors" in fields[5]:
            start, end = (int(part, 16) for part in fields[0].split("-"))
            ranges.append((start, end))
    return ranges


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps")
@pytest.mark.parametrize(("quantization", "in_the_map"), [("int8", True), ("bf16", False)])
def test_an_untied_token_embedding_on_a_cpu_is_left_in_the_checkpoints_map(
    tiny: dict[str, Path], quantization: str, in_the_map: bool
) -> None:
    """The plan counts Janus' table as weights but not as resident on a CPU where the load keeps
    the checkpoint's dtype (``ModelPlan.unread``): the table is then a view of the memory-mapped
    file, of which only the rows looked up become resident. The tiny checkpoint is float32:
    int8 leaves the table so, bf16 converts it (a copy of its own, resident and counted)."""
    pytest.importorskip("bitsandbytes")
    spec = REGISTRY["janus"]
    opts = options("janus", tiny, quantization=quantization)
    plan = spec.estimate(opts).plan
    assert plan is not None
    backend = spec.load("janus", opts)
    try:
        table = backend.model.get_input_embeddings().weight  # type: ignore[attr-defined]
        address, size = table.data_ptr(), table.numel() * table.element_size()
        mapped = file_mappings(tiny["janus"])
    finally:
        backend.close()

    assert any(start <= address < end for start, end in mapped) == in_the_map
    assert plan.unread == (size if in_the_map else 0)
    assert plan.resident == plan.weights - plan.unread + plan.overhead + plan.process


def quantized_blocks(model: object) -> dict[str, tuple[int, tuple[tuple[int, int], ...], bool]]:
    """Per block that trims the heap after it: its quantized weights, its quantized layers'
    shapes (out, in) in their order, and whether it is in the vision tower. A quantized layer
    outside every such block (Qwen2-VL's merger) is a block of its own. Empty where no block
    trims."""
    import bitsandbytes as bnb

    from ablage_desktop.engine.backends import vlm_heap

    hooked = [
        name
        for name, module in model.named_modules()  # type: ignore[attr-defined]
        if any(
            getattr(h, "func", None) is vlm_heap.trims_after for h in module._forward_hooks.values()
        )
    ]
    blocks: dict[str, tuple[int, tuple[tuple[int, int], ...], bool]] = {}
    for name, layer in model.named_modules():  # type: ignore[attr-defined]
        if isinstance(layer, bnb.nn.Linear8bitLt | bnb.nn.Linear4bit):
            block = next((b for b in hooked if name.startswith(b + ".")), name)
            weights, layers, _ = blocks.get(block, (0, (), False))
            blocks[block] = (
                weights + layer.in_features * layer.out_features,
                (*layers, (layer.out_features, layer.in_features)),
                any(part in block for part in ("visual", "vision_model", "vision_tower")),
            )
    return blocks if hooked else {}


def image_tokens(folder: str, tiny: dict[str, Path], image: Image.Image) -> int:
    """How many image tokens the family's own processor puts into the sequence."""
    spec = REGISTRY[ENGINES[folder]]
    backend = spec.load(folder, options(folder, tiny, quantization="fp32"))
    try:
        family = backend.family  # type: ignore[attr-defined]
        processor = backend.processor  # type: ignore[attr-defined]
        inputs = family.inputs(processor, [image])
        image_id = backend.model.config.image_token_id  # type: ignore[attr-defined]
        return int((inputs["input_ids"] == image_id).sum())
    finally:
        backend.close()


@pytest.mark.parametrize("size", [(120, 90), (300, 420)])
@pytest.mark.parametrize("folder", list(ENGINES))
def test_the_planned_vision_tokens_are_what_the_processor_makes(
    tiny: dict[str, Path], folder: str, size: tuple[int, int]
) -> None:
    plan = REGISTRY[ENGINES[folder]].estimate(options(folder, tiny)).plan
    assert plan is not None

    made = image_tokens(folder, tiny, Image.new("RGB", size, "white"))

    assert plan.page(*size).vision_tokens == made


def test_qwen2_5_vl_reads_a_page_through_the_engine(tiny: dict[str, Path], tmp_path: Path) -> None:
    config = tmp_path / "models.yaml"
    config.write_text(
        "models:\n"
        f"  qwen25: {{engine: qwen2_vl, source: {tiny['qwen2_5_vl']}, quantization: fp32,"
        " max_new_tokens: 4, warmup: true}\n",
        encoding="utf-8",
    )
    engine = EngineCore(load_config([config]))
    events: list[Event] = []
    engine.events.subscribe(events.append)
    try:
        with engine.manager.acquire("qwen25", (400, 300)) as lease:
            text = lease.recognize(PageImage(Path("p.png"), 0, text_page().convert("RGB"), 150))
            worker = lease.backend.pid  # type: ignore[attr-defined]
    finally:
        engine.close()

    assert worker is not None  # read in a worker process of its own, warm-up included
    assert isinstance(text.text, str)
    (warmed,) = [e for e in events if isinstance(e, ModelWarmedUp)]
    assert warmed.model == "qwen25" and warmed.seconds > 0
    ready = [e for e in events if isinstance(e, ModelStateChanged) and e.state == "ready"]
    assert ready[0].plan is not None and ready[0].plan["family"] == "qwen2_5_vl"


def test_qwen2_5_vl_reads_a_page_at_int4_on_the_cpu(tiny: dict[str, Path]) -> None:
    """Its vision MLP is 3,420 wide in the real model (136 here): not a multiple of 32 outputs
    nor of 64 inputs, which bitsandbytes' packed 4-bit CPU kernel needs. On a CPU with
    AVX512-BF16 every page failed. Those layers take bitsandbytes' general path (``vlm_int4``)."""
    pytest.importorskip("bitsandbytes")
    backend = REGISTRY["qwen2_vl"].load(
        "qwen2_5_vl", options("qwen2_5_vl", tiny, quantization="int4")
    )
    try:
        modules = backend.model.named_modules()  # type: ignore[attr-defined]
        off = [n for n, m in modules if getattr(m, "support_avx512bf16_for_cpu", None) is False]
        page = PageImage(Path("p.png"), 0, text_page().convert("RGB"), 150)
        text = backend.recognize(page).text
    finally:
        backend.close()

    # the vision MLP's three layers, nothing else
    assert off and all(".visual." in name for name in off)
    assert {name.rsplit(".", 1)[-1] for name in off} == {"gate_proj", "up_proj", "down_proj"}
    assert isinstance(text, str)


def test_models_list_and_the_models_table_show_the_plan(
    tiny: dict[str, Path], tmp_path: Path, qtbot: object
) -> None:
    import argparse
    import io
    import json

    from ablage_desktop.cli import run_models_list
    from ablage_desktop.gui.widgets.models_panel import ModelsPanel

    config_file = tmp_path / "models.yaml"
    config_file.write_text(
        f"models:\n  qwen2_vl: {{source: {tiny['qwen2_vl']}, quantization: bf16}}\n",
        encoding="utf-8",
    )
    config = load_config([config_file])
    out = io.StringIO()
    run_models_list(argparse.Namespace(json=True, no_check=True), config, out=out)
    rows = {row["name"]: row for row in json.loads(out.getvalue())}
    engine = EngineCore(config)
    try:
        statuses = engine.statuses()
    finally:
        engine.close()
    panel = ModelsPanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.set_statuses(statuses, {})
    row = [s.name for s in statuses].index("qwen2_vl")

    plan = rows["qwen2_vl"]["memory_plan"]
    assert plan["family"] == "qwen2_vl" and plan["quantization"] == "bf16"
    assert plan["page"]["width"] == 2480 and plan["page"]["vision_tokens"] > 0
    assert rows["qwen2_vl"]["estimated_bytes"] == plan["total_bytes"]
    assert rows["rapidocr"]["memory_plan"] is None
    tooltip = panel.table.item(row, 4).toolTip()
    assert "qwen2_vl bf16: weights" in tooltip and "vision tokens" in tooltip


def test_the_route_event_carries_the_plan_at_the_pages_size(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    from ablage_desktop.engine import OcrRequest, Routed
    from ablage_desktop.engine.eventlog import event_record

    image = tmp_path / "page.png"
    text_page().save(image)
    config_file = tmp_path / "models.yaml"
    config_file.write_text(
        f"models:\n  qwen2_vl: {{source: {tiny['qwen2_vl']}, quantization: fp32, "
        # in the app's process: the route's plan is the same, without a worker's start (4-5 s)
        "max_new_tokens: 4, isolated: false}\n",
        encoding="utf-8",
    )
    engine = EngineCore(load_config([config_file]))
    events: list[Event] = []
    engine.events.subscribe(events.append)
    try:
        (document,) = list(engine.ocr(OcrRequest([image], backend="qwen2_vl", archive=False)))
    finally:
        engine.close()

    assert document.error is None
    (routed,) = [e for e in events if isinstance(e, Routed)]
    record = event_record(routed)
    with Image.open(image) as opened:
        width, height = opened.size
    assert record["plan"]["page"]["width"] == width and record["plan"]["page"]["height"] == height
    assert record["plan"]["page"]["vision_tokens"] > 0
