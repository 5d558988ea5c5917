"""Running Qt's event loop until something has happened: for scripts that drive the window."""

from __future__ import annotations

from collections.abc import Callable

POLL_MS = 50


def run_until(predicate: Callable[[], bool], timeout_s: float, poll_ms: int = POLL_MS) -> bool:
    """Process events until ``predicate()`` holds or ``timeout_s`` passes; whether it holds.

    The window keeps painting and the workers' signals keep arriving meanwhile (no sleep).
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(poll_ms)
    poll.timeout.connect(lambda: loop.quit() if predicate() else None)
    poll.start()
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    give_up.start(int(timeout_s * 1000))
    loop.exec()
    poll.stop()
    give_up.stop()
    return predicate()
