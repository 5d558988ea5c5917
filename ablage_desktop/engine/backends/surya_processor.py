"""Qwen3-VL's processor without its video processor, for serving Surya's recognition model.

Not imported by the app: ``surya_serving`` copies this file into the folder it serves, as
the folder's own processor code (``auto_map``), so that ``transformers serve
--trust-remote-code`` runs it. ``Qwen3VLProcessor`` insists on a video processor, which needs
torchvision, and torchvision is not installed beside the app's torch. Only transformers is
imported here.
"""

from transformers.models.qwen3_vl.processing_qwen3_vl import Qwen3VLProcessor
from transformers.processing_utils import ProcessorMixin


class ImageOnlyQwen3VLProcessor(Qwen3VLProcessor):
    """Reads images only; the video fields the base class reads are set, never used."""

    def __init__(self, image_processor=None, tokenizer=None, chat_template=None, **kwargs):  # type: ignore[no-untyped-def]
        self.image_token = getattr(tokenizer, "image_token", None) or "<|image_pad|>"
        self.video_token = getattr(tokenizer, "video_token", None) or "<|video_pad|>"
        self.image_token_id = tokenizer.convert_tokens_to_ids(self.image_token)
        self.video_token_id = tokenizer.convert_tokens_to_ids(self.video_token)
        ProcessorMixin.__init__(self, image_processor, tokenizer, chat_template=chat_template)
        self.vision_start_token = "<|vision_start|>"
        self.vision_end_token = "<|vision_end|>"
        self.vision_start_token_id = tokenizer.convert_tokens_to_ids(self.vision_start_token)
        self.vision_end_token_id = tokenizer.convert_tokens_to_ids(self.vision_end_token)
        self.video_processor = None

    def __call__(self, images=None, text=None, videos=None, **kwargs):  # type: ignore[no-untyped-def]
        if videos is not None:
            raise ValueError("this processor reads images only, not videos")
        return super().__call__(images=images, text=text, **kwargs)
