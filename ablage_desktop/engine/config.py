"""The configuration: shipped defaults, overridden by the user's files, validated by pydantic.

Every problem becomes a ``ConfigError`` naming the file, the line, the key and what was
expected, so a person can fix the file without reading code. YAML is read with the safe loader
only: a ``!!python/object`` tag is an error, never executed.
"""

from __future__ import annotations

import importlib.resources
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ByteSize, ConfigDict, Field, ValidationError, model_validator

from ablage_desktop.engine.backends import REGISTRY
from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.errors import ConfigError
from ablage_desktop.engine.intake.arrivals import SETTLE_S
from ablage_desktop.engine.intake.documents import IntakeLimits
from ablage_desktop.engine.preprocess.settings import PreprocessingSettings

SHIPPED_CONFIG = "models.yaml"
MAX_CONFIG_BYTES = 1 << 20
"""A configuration file is a few KB; a larger one is a wrong path, not a configuration."""
MAX_DEPTH = 64
"""Nesting deeper than this is no configuration either (and would exhaust the parser's stack)."""
MAX_VALUES = 100_000
"""Values after YAML aliases are expanded: a few aliases can stand for billions ("billion
laughs"), and validating or printing them would never end."""
MAX_LISTED_PROBLEMS = 5


MAX_TIMEOUT_S = 86_400.0
"""A day: longer waits are typos, and the system calls that wait refuse (overflow) far beyond."""


class _Section(BaseModel):
    # inf and nan pass "gt=0" checks and then overflow the calls that wait or count with them
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class MemoryPressure(_Section):
    """Shares of the budget at which the manager starts to act."""

    warning: float = Field(0.80, gt=0, le=1)
    critical: float = Field(0.95, gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> MemoryPressure:
        if self.warning >= self.critical:
            raise ValueError("expected warning below critical")
        return self


class Management(_Section):
    default_backend: str = "auto"
    """'auto' (the router chooses per page) or the name of a configured model."""
    lazy_loading: bool = True
    max_vram_usage: float = Field(0.9, gt=0, le=1)
    max_ram_usage: float = Field(0.8, gt=0, le=1)
    vram_budget: ByteSize | None = None
    ram_budget: ByteSize | None = None
    keep_alive_s: float = Field(300, ge=-1, le=365 * MAX_TIMEOUT_S)
    max_resident_models: int = Field(3, ge=1)
    single_gpu_model: bool = True
    memory_pressure: MemoryPressure = MemoryPressure()
    sample_rate_hz: float = Field(2.0, gt=0, le=50)
    """Memory readings per second (the graph, the pressure level)."""
    recovery_timeout_s: float = Field(5.0, ge=0, le=MAX_TIMEOUT_S)
    """How long an unload waits for the GPU memory to come back."""


class Routing(_Section):
    """Engine chains for ``--backend auto``, tried in order; unavailable engines are skipped."""

    complex: list[str] = [
        "janus_pro",
        "qwen2_vl",
        "got_ocr2",
        "docling",
        "rapidocr",
        "surya",
        "tesseract",
    ]
    """Docling before the CPU OCR engines: tables and columns are what its layout analysis
    reads in structure and order (skipped where it has no layout weights). Surya after
    RapidOCR: it reads what RapidOCR could not (skipped without its environment and weights);
    Tesseract still helps RapidOCR (``combine``) from behind it."""
    simple: list[str] = ["got_ocr2", "rapidocr", "surya", "tesseract"]
    unknown: list[str] = ["rapidocr", "tesseract"]
    cpu_only: list[str] = ["rapidocr", "tesseract"]
    """The chain under critical memory pressure."""
    combine: bool = True
    """Pages RapidOCR reads in ``auto``: a Tesseract model that follows it in the chain reads
    the page first, the lines it is sure of are kept as it read them, RapidOCR recognises the
    rest and Tesseract's words put back the spaces it ran together; a page of small print is
    RapidOCR's alone unless Tesseract is sure of nearly all of it (a screenshot's, not a
    scan's: ``engine/models/line_words.py``, ``engine/models/combine.py``,
    ``engine/models/dispatcher.py``)."""

    def chains(self) -> dict[str, list[str]]:
        return {"complex": self.complex, "simple": self.simple, "unknown": self.unknown}


class Intake(_Section):
    pdf_dpi: int = Field(300, ge=50, le=1200)
    max_file_size: ByteSize = ByteSize(1 << 30)
    max_pixels_per_page: int = Field(178_956_970, ge=1_000_000)
    max_pages: int = Field(5000, ge=1)
    decode_timeout_s: float = Field(60.0, gt=0, le=MAX_TIMEOUT_S)
    """Longest the decoder process may spend opening a document or rendering one page."""
    pdf_text: Literal["auto", "always_ocr", "layer_only"] = "auto"
    """A PDF page's own text layer: read where it covers the visible text (auto), never
    (always_ocr), or always where there is one (layer_only); see ``engine/text_route.py``."""
    pdf_passwords: list[str] = Field(default_factory=list, repr=False)
    """Passwords tried, in turn, on a PDF that asks for one (a payslip, a statement): keep a
    configuration file that holds them private; ``ocr --password`` adds one for a run."""
    watch_settle_s: float = Field(SETTLE_S, ge=0.1, le=3600)
    """How long a document arriving in a watched folder (``ocr --watch``, File > Watch a
    folder) must stay as it is before it is read: longer than the pauses of a scanner that
    writes a page at a time over a network share."""
    watch_poll_s: float = Field(2.0, ge=0.1, le=600)
    """How often the watched folders are looked at."""

    def limits(self) -> IntakeLimits:
        return IntakeLimits(
            max_file_bytes=int(self.max_file_size),
            max_pixels_per_page=self.max_pixels_per_page,
            max_pages=self.max_pages,
            pdf_dpi=self.pdf_dpi,
            decode_timeout_s=self.decode_timeout_s,
            pdf_text=self.pdf_text,
            pdf_passwords=tuple(self.pdf_passwords),
        )


class Exports(_Section):
    pdf_images: Literal["original", "compact"] = "original"
    """A searchable PDF's pages of image files: as the file holds them (a PNG or TIFF scan
    stays lossless), or ``compact``: a page its file holds without loss goes in as a JPEG
    where that is smaller (a colour photograph pasted as a PNG: a third of the size; a form's
    few greys stay lossless, smaller so), much as OCRmyPDF's ``-O2``. A PDF's own pages, a
    JPEG's and a JPEG 2000's images are kept either way."""


class _Top(_Section):
    management: Management = Management()
    intake: Intake = Intake()
    exports: Exports = Exports()
    routing: Routing = Routing()
    preprocessing: PreprocessingSettings = PreprocessingSettings()
    models: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class AppConfig:
    management: Management
    intake: Intake
    routing: Routing
    models: Mapping[str, EngineOptions]
    files: tuple[Path, ...]
    """The user's files that were merged over the shipped defaults, in order."""
    preprocessing: PreprocessingSettings = field(default_factory=PreprocessingSettings)
    exports: Exports = field(default_factory=Exports)

    def model(self, name: str) -> EngineOptions | None:
        return self.models.get(name)

    def with_pdf_password(self, password: str) -> AppConfig:
        """This configuration, with ``password`` also tried on PDFs that ask for one."""
        if password in self.intake.pdf_passwords:
            return self
        passwords = [*self.intake.pdf_passwords, password]
        return replace(self, intake=self.intake.model_copy(update={"pdf_passwords": passwords}))

    def with_pdf_images(self, pdf_images: Literal["original", "compact"]) -> AppConfig:
        """This configuration, with searchable PDFs' pages of images kept so (``Exports``)."""
        return replace(self, exports=Exports(pdf_images=pdf_images))


def shipped_config_text() -> str:
    return (
        importlib.resources.files("ablage_desktop")
        .joinpath("config", SHIPPED_CONFIG)
        .read_text(encoding="utf-8")
    )


def load_config(user_files: Sequence[Path] = ()) -> AppConfig:
    """Shipped defaults, with each of ``user_files`` merged over them in order."""
    sources = [_Source.parse(None, shipped_config_text())]
    for path in user_files:
        try:
            if path.stat().st_size > MAX_CONFIG_BYTES:
                raise ConfigError(
                    path,
                    f"the file is larger than {MAX_CONFIG_BYTES >> 10} KiB: not a configuration",
                )
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError(path, "the configuration file does not exist") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(path, f"the configuration file cannot be read: {exc}") from exc
        sources.append(_Source.parse(path, text))
    merged: dict[str, Any] = {}
    for source in sources:
        merged = deep_merge(merged, source.data)
    return _validate(merged, sources)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = value
    return result


@dataclass(frozen=True)
class _Source:
    path: Path | None
    data: dict[str, Any]
    root: yaml.Node | None

    @classmethod
    def parse(cls, path: Path | None, text: str) -> _Source:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.load(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or str(exc)
            if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
                problem = f"{problem}; only plain YAML values are allowed"
            raise ConfigError(path, f"not valid YAML: {problem}", line=line) from exc
        except yaml.YAMLError as exc:
            raise ConfigError(path, f"not valid YAML: {exc}") from exc
        except RecursionError as exc:
            raise ConfigError(path, f"nested more than {MAX_DEPTH} levels deep") from exc
        if root is not None:
            _Shape(path).size(root)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(path, "expected a mapping of sections (management, intake, models)")
        return cls(path, data, root)

    def depth_of(self, key: Sequence[str]) -> tuple[int, int | None]:
        """How many leading parts of ``key`` this file spells out, and the line of the last."""
        node, depth, line = self.root, 0, None
        for part in key:
            if not isinstance(node, yaml.MappingNode):
                break
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == part:
                    node, depth, line = value_node, depth + 1, key_node.start_mark.line + 1
                    break
            else:
                break
        return depth, line


class _Shape:
    """Checks of the composed YAML that the loader does not make: keys given twice (the
    second would silently win), nesting depth and the size after aliases are expanded."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._sizes: dict[int, int] = {}

    def size(self, node: yaml.Node, trail: tuple[str, ...] = ()) -> int:
        """Values under ``node`` (at key ``trail``) with every alias expanded, each node counted
        once."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        line = node.start_mark.line + 1
        if len(trail) > MAX_DEPTH:
            raise ConfigError(self.path, f"nested more than {MAX_DEPTH} levels deep", line=line)
        total = 1
        if isinstance(node, yaml.MappingNode):
            self._no_duplicates(node, trail)
            for key_node, value_node in node.value:
                name = str(getattr(key_node, "value", "?"))
                total += self.size(key_node, (*trail, name))
                total += self.size(value_node, (*trail, name))
        elif isinstance(node, yaml.SequenceNode):
            for position, child in enumerate(node.value):
                total += self.size(child, (*trail, str(position)))
        if total > MAX_VALUES:
            raise ConfigError(
                self.path,
                f"this value expands to more than {MAX_VALUES} values (YAML aliases?); "
                "a configuration needs far fewer",
                key=".".join(trail) or None,
                line=line,
            )
        self._sizes[id(node)] = total
        return total

    def _no_duplicates(self, node: yaml.MappingNode, trail: tuple[str, ...]) -> None:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            line = key_node.start_mark.line + 1
            first = seen.get(key_node.value)
            seen.setdefault(key_node.value, line)
            if first is not None:  # the same key again, maybe on the same line ({a: 1, a: 2})
                where = f"line {line}" if first == line else f"lines {first} and {line}"
                raise ConfigError(
                    self.path,
                    f"this key is given twice ({where}); keep one",
                    key=".".join((*trail, key_node.value)),
                    line=line,
                )


def _blame(sources: Sequence[_Source], key: Sequence[str]) -> tuple[Path | None, int | None]:
    """The file (and line) that set the deepest part of ``key``; later files win ties."""
    best: tuple[int, Path | None, int | None] = (0, sources[-1].path, None)
    for source in sources:
        depth, line = source.depth_of(key)
        if depth and depth >= best[0]:
            best = (depth, source.path, line)
    return best[1], best[2]


def _error(sources: Sequence[_Source], key: Sequence[str], problem: str) -> ConfigError:
    path, line = _blame(sources, key)
    return ConfigError(path, problem, key=".".join(key), line=line)


def _describe(error: Mapping[str, Any], model: type[BaseModel] | None) -> str:
    if error["type"] == "extra_forbidden":
        if model is not None:
            known = ", ".join(sorted(model.model_fields))
            return f"unknown key; expected one of: {known}"
        return "unknown key"
    if error["type"] == "missing":
        return "this key is required but missing"
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    return f"{message[0].lower()}{message[1:]} (got {_short(error['input'])})"


def _short(value: Any) -> str:
    """A bad value as the error shows it: never the whole of a huge one."""
    short = reprlib.Repr()
    short.maxlevel, short.maxlist, short.maxdict = 2, 4, 4
    short.maxstring = short.maxother = 60
    return short.repr(value)


Problem = tuple[list[str], str]
"""Where in the configuration (keys) and what is wrong there, in words."""


def _described(
    errors: Sequence[Mapping[str, Any]], root: type[BaseModel], prefix: Sequence[str] = ()
) -> list[Problem]:
    return [
        (
            [*prefix, *(str(part) for part in error["loc"])],
            _describe(error, _model_at(root, error["loc"])),
        )
        for error in errors
    ]


def _combined(sources: Sequence[_Source], problems: Sequence[Problem]) -> ConfigError:
    """The first problem as the error, with the others (unknown keys, say) listed after it:
    every problem of every section and model at once, so one edit can fix them all."""
    first_loc, first_problem = problems[0]
    first = _error(sources, first_loc, first_problem)
    if len(problems) == 1:
        return first
    others = []
    for loc, problem in problems[1:MAX_LISTED_PROBLEMS]:
        path, line = _blame(sources, loc)
        where = f"line {line}" if line is not None else "no line"
        if path != first.file:
            where = f"{path}, {where}"
        others.append(f"'{'.'.join(loc)}' ({where}): {problem.split(';')[0]}")
    more = len(problems) - MAX_LISTED_PROBLEMS
    listing = "; ".join(others) + (f"; and {more} more" if more > 0 else "")
    return ConfigError(
        first.file,
        f"{first_problem}. Also wrong: {listing}",
        key=first.key,
        line=first.line,
    )


def _model_at(root: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of ``loc`` (for listing its known keys)."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if model is None or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        model = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return model


def _validate(merged: dict[str, Any], sources: Sequence[_Source]) -> AppConfig:
    problems: list[Problem] = []
    try:
        top: _Top | None = _Top.model_validate(merged)
    except ValidationError as exc:
        top = None
        problems += _described(exc.errors(), _Top)
    entries = merged.get("models")
    entries = entries if isinstance(entries, Mapping) else {}
    models: dict[str, EngineOptions] = {}
    for name, entry in entries.items():
        validated = _validate_model(str(name), entry)
        if isinstance(validated, EngineOptions):
            models[str(name)] = validated
        else:
            problems += validated
    problems += _reference_problems(merged, [str(name) for name in entries])
    if problems:
        raise _combined(sources, problems)
    assert top is not None
    return AppConfig(
        management=top.management,
        intake=top.intake,
        routing=top.routing,
        models=models,
        files=tuple(s.path for s in sources if s.path is not None),
        preprocessing=top.preprocessing,
        exports=top.exports,
    )


def _reference_problems(merged: Mapping[str, Any], names: Sequence[str]) -> list[Problem]:
    """Engines named by the default and the routing chains that are not configured; read
    from the raw values, so they are reported beside any other problem of those sections."""
    problems: list[Problem] = []
    management = merged.get("management")
    default = management.get("default_backend") if isinstance(management, Mapping) else None
    if isinstance(default, str) and default != "auto" and default not in names:
        problems.append(
            (
                ["management", "default_backend"],
                f"'{default}' is not a configured model; expected auto or one of: "
                + ", ".join(names),
            )
        )
    routing = merged.get("routing")
    for chain in ("complex", "simple", "unknown", "cpu_only"):
        chained = routing.get(chain) if isinstance(routing, Mapping) else None
        for position, name in enumerate(chained if isinstance(chained, list) else []):
            if isinstance(name, str) and name not in names:
                problems.append(
                    (
                        ["routing", chain, str(position)],
                        f"'{name}' is not a configured model; expected one of: {', '.join(names)}",
                    )
                )
    return problems


def _validate_model(name: str, entry: Any) -> EngineOptions | list[Problem]:
    """The model's options, or what is wrong with its entry."""
    key = ["models", name]
    if not isinstance(entry, Mapping):
        return [(key, "expected a mapping of this model's settings")]
    entry = dict(entry)
    entry.setdefault("engine", name)
    engine = entry["engine"]
    spec = REGISTRY.get(engine) if isinstance(engine, str) else None
    if spec is None:
        return [
            ([*key, "engine"], f"unknown engine {engine!r}; expected one of: {', '.join(REGISTRY)}")
        ]
    try:
        return spec.options.model_validate(entry)
    except ValidationError as exc:
        return _described(exc.errors(), spec.options, key)
