"""Qt widgets and the worker thread that drives the engine; no OCR logic lives here."""
