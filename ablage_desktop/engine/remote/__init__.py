"""Talking to OpenAI-compatible inference servers (vLLM, SGLang, Ollama, LM Studio,
``transformers serve``): page images out, text back. Standard library HTTP only."""
