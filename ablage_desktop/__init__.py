"""Ablage Desktop: OCR for the office archive, with memory-aware model management."""

__version__ = "0.1.0"
