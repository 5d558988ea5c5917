"""Decoding in a worker process: a parser that crashes or hangs costs only its document.

``IsolatedDecoder`` (the app's side) starts one worker process that opens documents and renders
their pages; ``worker.serve`` is that process's loop. Page pixels come back through a pipe.
"""

from ablage_desktop.engine.intake.decoding.isolated import DocumentOpener, IsolatedDecoder, Opener

__all__ = ["DocumentOpener", "IsolatedDecoder", "Opener"]
