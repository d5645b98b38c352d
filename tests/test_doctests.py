"""The examples in the docstrings of the rule modules are true (they are how the rules are read)."""

import doctest

import pytest

from summariser import confidence, cues, names, segment


@pytest.mark.parametrize("module", [confidence, cues, names, segment], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module: object) -> None:
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert tried > 0
    assert failed == 0
