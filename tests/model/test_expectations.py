"""Expectations: the sentences a lesson states, as the document shows them, and the ones that are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from visualizer.model.expectations import EVENTS, QUANTITIES, VERDICT_WORDS, ExpectationError, parse

DOC = Path(__file__).resolve().parents[2] / "docs" / "lessons.md"


def documented_sentences() -> list[str]:
    section = DOC.read_text(encoding="utf-8").split("## Expectations")[1]
    return [line for line in section.split("```text\n")[1].split("```")[0].splitlines() if line.strip()]


def test_every_sentence_of_the_document_parses():
    sentences = documented_sentences()
    assert len(sentences) >= 15
    kinds = {parse(s).kind for s in sentences}
    assert kinds == {"compare", "count", "verdict", "edge-none"}


def test_the_document_names_every_quantity_event_and_verdict_the_parser_knows():
    section = DOC.read_text(encoding="utf-8").split("## Expectations")[1]
    for quantity in QUANTITIES:
        assert f"`{quantity}`" in section, quantity
    for series, event in EVENTS:
        assert f"`{series} {event}`" in section
    for words in ("falls at every step", "up and down", "unstable at first", "diverged", "flat"):
        assert f"`{words}`" in section and words in VERDICT_WORDS
    assert "`rising losses in A..B`" in section


def test_what_a_sentence_says():
    e = parse("with α = 0.1, loss = squared-error:  J  at 2000 ≥ 0.5 × J at 0")
    assert e.settings == (("alpha", 0.1), ("loss", "squared-error")) and e.op == ">="
    assert (e.left.quantity, e.left.at, e.right.factor, e.right.at) == ("J", 2000, 0.5, 0)
    assert e.last_iteration() == 2000
    c = parse("path zig-zags at least 10 times in 5..50")
    assert (c.series, c.event, c.least, c.most, c.lo, c.hi) == ("path", "zig-zags", 10, None, 5, 50)
    n = parse("J never rises in 0..2000")
    assert (n.least, n.most, n.every) == (0, 0, False)
    assert parse("J falls at every step in 0..10").every
    assert parse("J in 0..2000 is unstable at first").verdict == "unstable"
    assert parse("with batch_size = all: J at 10 < J at 0").settings == (("batch_size", None),)
    assert parse("with batch_size = 1, lam = 10: J at 10 < J at 0").settings == (("batch_size", 1), ("lam", 10.0))
    assert parse("rising losses in 200..1200 >= 1").left.quantity == "rising losses"


@pytest.mark.parametrize("sentence, words", [
    ("J at 2000", "not an expectation"),
    ("J rises in 1..5", "say how often"),
    ("J at x < 3", "'J at x' is not a number"),
    ("J rises at least once in 5..3", "the range 5..3 is empty"),
    ("J at 200000 < J at 0", "beyond the 100,000"),
    ("path zig-zags at least once in 0..5000", "at most 2,000 steps"),
    ("max train accuracy in 0..10 > 5", "max and min over a range are of J or test J"),
    ("with alhpa = 1: J at 1 < J at 0", "unknown setting 'alhpa'"),
    ("with alpha = -1: J at 1 < J at 0", "the learning rate must be a positive number"),
    ("with alpha 1: J at 1 < J at 0", "'with' takes settings"),
    # the text of a 'with' is read into the setting's type by the constraint table (strict types refused "0.1")
    ("with alpha = fast: J at 1 < J at 0", "setting 'alpha': the learning rate must be a positive number"),
    ("with batch_size = 1.5: J at 1 < J at 0", "setting 'batch_size': the batch size must be a whole number"),
    (3, "must be a sentence in quotes"),
])
def test_a_sentence_that_is_no_expectation_is_refused_with_why(sentence, words):
    with pytest.raises(ExpectationError, match=re.escape(words)):
        parse(sentence)
