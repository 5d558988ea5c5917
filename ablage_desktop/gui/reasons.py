"""The engine's error kinds in the user's words and language.

The engine explains a failure in English for logs and the command line (``ErrorInfo.message``);
the window shows a translated sentence for its kind first, and the engine's text only as the
detail below it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


def reason_text(kind: str) -> str:
    """One sentence for error ``kind``; a general one for kinds not listed."""
    source = _REASONS.get(kind, _REASONS["error"])
    return QCoreApplication.translate("Reasons", source)


_REASONS = {
    "not_found": QT_TRANSLATE_NOOP("Reasons", "The file is not there any more."),
    "permission_denied": QT_TRANSLATE_NOOP("Reasons", "The file may not be read (no permission)."),
    "empty": QT_TRANSLATE_NOOP("Reasons", "The file is empty."),
    "unsupported_format": QT_TRANSLATE_NOOP("Reasons", "This kind of file cannot be read."),
    "corrupt": QT_TRANSLATE_NOOP("Reasons", "The file is damaged."),
    "incomplete": QT_TRANSLATE_NOOP(
        "Reasons", "The file is incomplete (cut short or damaged); what it holds was read."
    ),
    "encrypted": QT_TRANSLATE_NOOP(
        "Reasons",
        "The PDF is protected by a password: enter it in the bar above the documents, or "
        "keep it under intake.pdf_passwords in your configuration file.",
    ),
    "too_large": QT_TRANSLATE_NOOP("Reasons", "The document is too large."),
    "pages_not_in_document": QT_TRANSLATE_NOOP(
        "Reasons", "None of the pages asked for is in the document."
    ),
    "decoder_crashed": QT_TRANSLATE_NOOP("Reasons", "The file made the reader crash."),
    "decoder_timeout": QT_TRANSLATE_NOOP("Reasons", "Opening the file took too long."),
    "decoder_failed": QT_TRANSLATE_NOOP("Reasons", "The file could not be opened."),
    "input": QT_TRANSLATE_NOOP("Reasons", "The file could not be read."),
    "config": QT_TRANSLATE_NOOP("Reasons", "The configuration is not valid."),
    "usage": QT_TRANSLATE_NOOP("Reasons", "That is not possible."),
    "unknown_backend": QT_TRANSLATE_NOOP("Reasons", "There is no such engine."),
    "backend_unavailable": QT_TRANSLATE_NOOP(
        "Reasons", "The engine cannot be used on this computer."
    ),
    "model_load": QT_TRANSLATE_NOOP("Reasons", "The engine could not be loaded."),
    "unsafe_model": QT_TRANSLATE_NOOP("Reasons", "The model files were refused as unsafe."),
    "pickle_weights": QT_TRANSLATE_NOOP("Reasons", "The model files were refused as unsafe."),
    "remote_code": QT_TRANSLATE_NOOP("Reasons", "The model files were refused as unsafe."),
    "corrupt_model": QT_TRANSLATE_NOOP("Reasons", "The model files are damaged."),
    "insufficient_memory": QT_TRANSLATE_NOOP(
        "Reasons", "There is not enough memory for the engine."
    ),
    "out_of_memory": QT_TRANSLATE_NOOP("Reasons", "The engine ran out of memory."),
    "model_busy": QT_TRANSLATE_NOOP("Reasons", "The engine is busy."),
    "output": QT_TRANSLATE_NOOP("Reasons", "The result could not be written."),
    "recognition": QT_TRANSLATE_NOOP("Reasons", "The engine could not read the page."),
    "cancelled": QT_TRANSLATE_NOOP("Reasons", "Cancelled."),
    "remote": QT_TRANSLATE_NOOP("Reasons", "The server could not read the page."),
    "remote_unreachable": QT_TRANSLATE_NOOP("Reasons", "The server cannot be reached."),
    "remote_timeout": QT_TRANSLATE_NOOP("Reasons", "The server did not answer in time."),
    "remote_http": QT_TRANSLATE_NOOP("Reasons", "The server refused the page."),
    "remote_reply": QT_TRANSLATE_NOOP("Reasons", "The server's answer could not be used."),
    "remote_tls": QT_TRANSLATE_NOOP("Reasons", "The server's certificate was not accepted."),
    "internal": QT_TRANSLATE_NOOP(
        "Reasons", "Something unexpected went wrong; the details tell the developers what."
    ),
    "error": QT_TRANSLATE_NOOP("Reasons", "Something went wrong."),
}


def with_detail(kind: str, message: str) -> str:
    """The sentence for ``kind`` and, on the next line, the engine's own explanation."""
    headline = reason_text(kind)
    return f"{headline}\n{message}" if message and message != headline else headline


def in_user_words(kind: str, message: str) -> str:
    """One line for the status bar: the engine's message where the window speaks English (it
    is written for people), else the translated sentence for ``kind`` with the engine's words
    after it."""
    source = _REASONS.get(kind, _REASONS["error"])
    headline = reason_text(kind)
    if headline == source or not message:
        return message or headline
    return f"{headline} ({message})"
