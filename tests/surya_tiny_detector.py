"""Build a tiny random-weight Surya text detector in a folder, with Surya's own classes.

Run by ``tiny_surya.build_detector`` with Surya's environment's Python (Surya is not
installed in the app's). The random model marks text everywhere above a raised bias, so
Surya's post-processing finds at least one line box on a page.
"""

import sys

import torch
from surya.detection.model.config import EfficientViTConfig
from surya.detection.model.encoderdecoder import EfficientViTForSemanticSegmentation
from surya.detection.processor import SegformerImageProcessor


def main(folder: str) -> None:
    torch.manual_seed(0)
    config = EfficientViTConfig(
        num_classes=2,
        num_labels=2,  # the text heatmap and the affinity map
        widths=(8, 16, 16, 32, 32),
        head_dim=8,
        depths=(1, 1, 1, 1, 1),
        decoder_layer_hidden_size=8,
        decoder_hidden_size=16,
    )
    model = EfficientViTForSemanticSegmentation(config).eval()
    with torch.no_grad():
        model.decode_head.classifier.bias[0] = 0.3
    model.save_pretrained(folder)
    SegformerImageProcessor(size={"height": 512, "width": 512}).save_pretrained(folder)


if __name__ == "__main__":
    main(sys.argv[1])
