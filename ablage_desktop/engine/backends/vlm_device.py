"""Where and how precisely a vision-language model can run here, decided without torch."""

from __future__ import annotations

from ablage_desktop.engine.memory.probe import loaded_cuda

BITSANDBYTES = frozenset({"int8", "int4"})
"""The quantizations bitsandbytes runs. On a CPU their matmuls make large temporaries, so the
heap is trimmed after each block of the model (``vlm_heap``) and the plan counts one block's
(``ModelPlan.temporaries``)."""


def cuda_present() -> bool:
    """A CUDA device without importing torch: torch if already loaded, else NVML."""
    import sys

    if "torch" in sys.modules:
        return loaded_cuda() is not None
    try:
        import pynvml

        pynvml.nvmlInit()
        try:
            return int(pynvml.nvmlDeviceGetCount()) > 0
        finally:
            pynvml.nvmlShutdown()
    except Exception:  # no driver, no library: no GPU
        return False


def effective_quantization(quantization: str, device: str) -> tuple[str, str]:
    """The quantization really used on ``device``, and why it differs (empty when it does not)."""
    if device == "cpu" and quantization == "fp16":
        return "fp32", "fp16 is slow or unsupported on a CPU: loading fp32 instead"
    return quantization, ""
