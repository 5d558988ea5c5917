"""Results and where they go: the document model, exports, atomic writes, the inputs guard."""
