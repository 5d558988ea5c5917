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
