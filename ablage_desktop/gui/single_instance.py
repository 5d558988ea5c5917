"""One window per user: a second launch hands its files to the running window and exits.

The first instance listens on a local socket (a Unix socket, a named pipe on Windows) whose
name holds the user's name, so two users of one machine each get their own window. A second
launch connects, sends its paths as one JSON line and exits; when nobody answers, it becomes
the first instance itself (a stale socket of a crashed run is removed first).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
SEND_TIMEOUT_MS = 2000


def socket_name(profile: str = "", user: str | None = None) -> str:
    """The socket's name for this user and ``profile`` (the settings folder: a second
    configuration is a second window). Short: a Unix socket path has a length limit."""
    if user is None:
        try:
            user = getpass.getuser()
        except Exception:  # no user name (a container without passwd entry)
            user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    key = f"{user}\0{profile}".encode("utf-8", "surrogateescape")
    return f"ablage-desktop-{hashlib.sha256(key).hexdigest()[:16]}"


def send_to_running(paths: Sequence[str], name: str) -> bool:
    """Hand ``paths`` to the window listening on ``name``; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    message = json.dumps({"paths": [str(Path(p).absolute()) for p in paths]}) + "\n"
    socket.write(message.encode("utf-8", "surrogateescape"))
    sent = socket.waitForBytesWritten(SEND_TIMEOUT_MS)
    socket.disconnectFromServer()
    return sent


class InstanceServer(QObject):
    """Listens for later launches; ``pathsReceived`` carries the files each one sent."""

    pathsReceived = Signal(object)  # list[str]
    activated = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket left by a crashed run is removed first."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("Cannot listen on %s: %s", self.name, self._server.errorString())
        return False

    def close(self) -> None:
        for socket in list(self._buffers):
            socket.readyRead.disconnect(self._read)
            socket.disconnected.disconnect(self._finish)
            socket.abort()
        self._buffers.clear()
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(self._finish)

    def _socket(self) -> QLocalSocket | None:
        sender = self.sender()
        return sender if isinstance(sender, QLocalSocket) else None

    def _read(self) -> None:
        socket = self._socket()
        if socket is not None and socket in self._buffers:
            self._buffers[socket] += bytes(socket.readAll().data())

    def _finish(self) -> None:
        socket = self._socket()
        if socket is None or socket not in self._buffers:
            return
        data = self._buffers.pop(socket) + bytes(socket.readAll().data())
        socket.deleteLater()
        try:
            message = json.loads(data.decode("utf-8", "surrogateescape") or "{}")
            paths = [str(p) for p in message.get("paths", [])]
        except (ValueError, AttributeError):
            log.warning("A second launch sent something that is not a list of files")
            return
        self.activated.emit()
        if paths:
            self.pathsReceived.emit(paths)
