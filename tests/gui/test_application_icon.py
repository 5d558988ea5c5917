"""The app's icon comes from package data, so an installed or frozen program has it too."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ablage_desktop.gui.application import ICON_SIZES, application_icon


def test_the_icon_is_found_in_every_size(qtbot: QtBot) -> None:
    icon = application_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert set(ICON_SIZES) <= sizes
    assert not icon.pixmap(24, 24).isNull()
