"""Accuracy of recognised text against a ground truth: CER, WER and bag-of-words F1.

Normalisation is Unicode NFC and white space only (engines differ in reading order, so the
order-insensitive F1 sits beside the edit rates).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


def normalize(text: str, *, casefold: bool = False) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text.casefold() if casefold else text


def edit_distance(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Levenshtein distance between two strings or two word lists."""
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def cer(hypothesis: str, truth: str, *, casefold: bool = False) -> float:
    hyp, ref = normalize(hypothesis, casefold=casefold), normalize(truth, casefold=casefold)
    return edit_distance(hyp, ref) / max(1, len(ref))


def wer(hypothesis: str, truth: str, *, casefold: bool = False) -> float:
    hyp = normalize(hypothesis, casefold=casefold).split()
    ref = normalize(truth, casefold=casefold).split()
    return edit_distance(hyp, ref) / max(1, len(ref))


@dataclass(frozen=True, slots=True)
class BagOfWords:
    precision: float
    recall: float
    f1: float


def bag_of_words(hypothesis: str, truth: str, *, casefold: bool = False) -> BagOfWords:
    """Precision, recall and F1 of the multiset of words, ignoring their order."""
    hyp = Counter(normalize(hypothesis, casefold=casefold).split())
    ref = Counter(normalize(truth, casefold=casefold).split())
    common = sum((hyp & ref).values())
    precision = common / max(1, sum(hyp.values()))
    recall = common / max(1, sum(ref.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BagOfWords(precision, recall, f1)


@dataclass(frozen=True, slots=True)
class TextScore:
    """The counts behind CER, WER and bag-of-words F1, so that documents add up.

    A corpus figure is the sum of the counts (micro average): a long document weighs more than
    a two-line one, as it does for someone who has to correct the text.
    """

    char_edits: int = 0
    chars: int = 0
    word_edits: int = 0
    words: int = 0
    common_words: int = 0
    hypothesis_words: int = 0

    @property
    def cer(self) -> float:
        return self.char_edits / max(1, self.chars)

    @property
    def wer(self) -> float:
        return self.word_edits / max(1, self.words)

    @property
    def precision(self) -> float:
        return self.common_words / max(1, self.hypothesis_words)

    @property
    def recall(self) -> float:
        return self.common_words / max(1, self.words)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: TextScore) -> TextScore:
        return TextScore(
            self.char_edits + other.char_edits,
            self.chars + other.chars,
            self.word_edits + other.word_edits,
            self.words + other.words,
            self.common_words + other.common_words,
            self.hypothesis_words + other.hypothesis_words,
        )

    def to_json(self) -> dict[str, float | int]:
        return {
            "cer": self.cer,
            "wer": self.wer,
            "bow_precision": self.precision,
            "bow_recall": self.recall,
            "bow_f1": self.f1,
            "char_edits": self.char_edits,
            "chars": self.chars,
            "word_edits": self.word_edits,
            "words": self.words,
        }


def score(hypothesis: str, truth: str, *, casefold: bool = False) -> TextScore:
    """Every count of ``hypothesis`` against ``truth`` at once."""
    hyp = normalize(hypothesis, casefold=casefold)
    ref = normalize(truth, casefold=casefold)
    hyp_words, ref_words = hyp.split(), ref.split()
    common = sum((Counter(hyp_words) & Counter(ref_words)).values())
    return TextScore(
        char_edits=edit_distance(hyp, ref),
        chars=len(ref),
        word_edits=edit_distance(hyp_words, ref_words),
        words=len(ref_words),
        common_words=common,
        hypothesis_words=len(hyp_words),
    )
