"""The command line offers every optimizer of the registry, with its hyperparameters' flags, and the README
names each one where it lists them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from visualizer.cli.args import UsageError, build_parser
from visualizer.core.optim.registry import HYPERS, SPECS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_optimizer_and_hyperparameter_is_a_flag_with_its_default():
    parser = build_parser()
    for kind in SPECS:
        args = parser.parse_args(["train", "--optimizer", kind])
        assert args.optimizer == kind and all(getattr(args, n) == h.default for n, h in HYPERS.items())
    with pytest.raises(UsageError, match="one of " + ", ".join(SPECS)):
        parser.parse_args(["train", "--optimizer", "sgd"])
    with pytest.raises(UsageError, match=r"beta must be a number in \[0, 1\)"):
        parser.parse_args(["train", "--beta", "1"])


@pytest.mark.parametrize("kind", SPECS)
def test_each_optimizer_trains_from_the_command_line(kind):
    out = run("train", "--optimizer", kind, "--batch-size", "32", "--alpha", "0.001", "--iterations", "10",
              "--print-every", "5")
    assert out.returncode == 0, out.stderr
    assert [line.split(":")[0] for line in out.stdout.splitlines()[:2]] == [
        "Cost after iteration 0", "Cost after iteration 5"]


def test_the_readme_names_every_optimizer_where_it_lists_them():
    text = README.read_text(encoding="utf-8")
    usage = re.search(r"\[--optimizer ([a-z|]+)\]", text).group(1)
    assert usage.split("|") == list(SPECS)
    table = next(line for line in text.splitlines() if line.startswith("| `--optimizer`"))
    assert all(f"`{kind}`" in table for kind in SPECS)
