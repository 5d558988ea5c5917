"""Preprocessing before recognition: orientation, deskew, resolution, background.

Each step is cheap, logged at debug level and switched in the ``preprocessing:`` section of
the configuration. The engines read the prepared page; their boxes are mapped back onto the
original page, and ``OcrPage.preprocessing`` records what was done.
"""

from ablage_desktop.engine.preprocess.settings import PreprocessingSettings
from ablage_desktop.engine.preprocess.stage import PreparedPage, Preprocessor, Variant

__all__ = ["PreparedPage", "PreprocessingSettings", "Preprocessor", "Variant"]
