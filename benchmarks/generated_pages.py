"""A folder of pages made here with their ground truth, laid out as ``quality.py`` reads the
data set: ``<stem>.png``, ``<stem>.gt.txt`` and one ``MANIFEST.tsv`` row each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

MANIFEST_HEADER = (
    "file\tsource_repo\tsource_path@commit\tkind\tlanguage\tpages\tlicense\tgroup\tgt_case\t"
    "notes\tsource_sha256\tsame_doc_as"
)


@dataclass
class GeneratedPages:
    folder: Path
    source: str
    """The script or module that made the pages (the manifest's source path)."""
    language: str
    licence: str
    group: str
    rows: list[str] = field(default_factory=list)

    def add(self, stem: str, image: Image.Image, dpi: int, truth: str) -> None:
        """Write one page and its ground truth."""
        self.folder.mkdir(parents=True, exist_ok=True)
        image.save(self.folder / f"{stem}.png", dpi=(dpi, dpi))
        (self.folder / f"{stem}.gt.txt").write_text(truth, encoding="utf-8")
        self.rows.append(
            f"{stem}.png\tablage-desktop\t{self.source}\tprinted\t{self.language}\t1\t"
            f"{self.licence}\t{self.group}\t\tgenerated\t\t"
        )

    def finish(self) -> None:
        """Write the manifest and say where the pages are."""
        manifest = "\n".join([MANIFEST_HEADER, *self.rows]) + "\n"
        (self.folder / "MANIFEST.tsv").write_text(manifest, encoding="utf-8")
        print(f"{len(self.rows)} pages written to {self.folder}")
