"""A tiny Docling layout model: the real RT-DETRv2 architecture, a few ten thousand parameters.

``build_layout_model(artifacts)`` writes ``<artifacts>/docling-project--docling-layout-heron/``
as Docling expects the heron weights there (``config.json``, ``model.safetensors``,
``preprocessor_config.json``): an ``RTDetrV2ForObjectDetection`` over a tiny
``RTDetrResNetConfig`` backbone, ``id2label`` holding heron's 17 classes spelled as Docling's
``DocItemLabel`` values (Docling maps a label by ``DocItemLabel[name.upper()]``), and an
``RTDetrImageProcessorPil`` (no torchvision needed), so that Docling's transformers
object-detection engine loads it with ``AutoModelForObjectDetection`` and
``AutoImageProcessor`` like the real one.

Random weights predict random regions; a layout run of them tells nothing. The class heads
are therefore set so that every region the model reports is of one label (``text`` by
default) with high confidence; the boxes stay the random ones. Docling assigns a PDF page's
text cells to those regions and makes regions of its own for the cells left over, so a
born-digital page comes out whole; a scanned page is OCRed only inside the regions (Docling
2.143 OCRs layout regions that hold no PDF text), so only part of its text comes out.
Seeded: the same folder on every build; it
builds in well under a second and writes about 0.3 MB. Nothing here touches the network.
"""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import (
    RTDetrImageProcessorPil,
    RTDetrResNetConfig,
    RTDetrV2Config,
    RTDetrV2ForObjectDetection,
)

HERON_LABELS = (
    "caption",
    "footnote",
    "formula",
    "list_item",
    "page_footer",
    "page_header",
    "picture",
    "section_header",
    "table",
    "text",
    "title",
    "document_index",
    "code",
    "checkbox_selected",
    "checkbox_unselected",
    "form",
    "key_value_region",
)
"""Heron's classes in its order (its model card: Caption, Footnote, ... Key-Value Region)."""
FOLDER = "docling-project--docling-layout-heron"


def build_layout_model(artifacts: Path, label: str = "text", *, seed: int = 0) -> Path:
    """Write the tiny model under ``artifacts`` and return its folder."""
    backbone = RTDetrResNetConfig(
        embedding_size=8,
        hidden_sizes=[8, 16, 16, 16],
        depths=[1, 1, 1, 1],
        out_features=["stage2", "stage3", "stage4"],
        out_indices=[2, 3, 4],
    )
    config = RTDetrV2Config(
        backbone_config=backbone,
        encoder_hidden_dim=16,
        encoder_in_channels=[16, 16, 16],
        encoder_ffn_dim=32,
        encoder_attention_heads=2,
        d_model=16,
        decoder_in_channels=[16, 16, 16],
        decoder_ffn_dim=32,
        decoder_layers=2,  # one layer breaks the tied box heads of transformers 5
        decoder_attention_heads=2,
        num_queries=20,
        num_denoising=0,
        id2label=dict(enumerate(HERON_LABELS)),
        label2id={name: number for number, name in enumerate(HERON_LABELS)},
    )
    torch.manual_seed(seed)
    model = RTDetrV2ForObjectDetection(config)
    with torch.no_grad():
        for head in model.model.decoder.class_embed:
            head.weight.zero_()
            head.bias.fill_(-12.0)  # sigmoid: no class is likely...
            head.bias[HERON_LABELS.index(label)] = 6.0  # ...but this one
    folder = artifacts / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    RTDetrImageProcessorPil(size={"height": 640, "width": 640}).save_pretrained(folder)
    return folder
