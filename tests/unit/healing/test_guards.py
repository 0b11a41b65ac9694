"""The meaning guards: AST equivalence for Python, parse equality for YAML."""

from __future__ import annotations

import pytest

from oasis_action.healing.astguard import equivalent
from oasis_action.healing.textfix import fix_text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("import os\nimport sys\n", "import sys\nimport os\n"),
        ("from a import b\nfrom a import c\n", "from a import b, c\n"),
        ("import os\nimport os\n", "import os\n"),
        ('def f():\n    """a   \n    c"""\n', 'def f():\n    """a\n    c"""\n'),
        ("def f():\n  import b\n  import a\n", "def f():\n    import a\n    import b\n"),
        ("x = (1 +\n 2)\n", "x = 1 + 2\n"),
        ("s = 'a'\n", 's = "a"\n'),
        # docutils' error_reporting.py: black drops the u prefix
        ("msg = u'%s: %s' % (a, b)\n", 'msg = "%s: %s" % (a, b)\n'),
        # docutils' attribute docstrings: docformatter re-lays them out like docstrings
        ('x = 1\n"""The x.\n"""\n', 'x = 1\n"""The x."""\n'),
        # docutils' statemachine.py: black makes more text look like a literal, not less
        (
            "s = ', items='\nt = ', items='\nf(a,items=b)\n",
            "s = ', items='\nt = ', items='\nf(a, items=b)\n",
        ),
    ],
)
def test_formatter_changes_are_equivalent(before: str, after: str) -> None:
    assert equivalent(before, after)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("x = 1\n", "x = 2\n"),
        ("x = 1\nimport os\nimport sys\n", "import os\nx = 1\nimport sys\n"),
        ("s = 'a  b'\n", "s = 'a b'\n"),
        ("def f():\n    return 1\n", "def f():\n    return 1\n    return 2\n"),
        ("x = 1\n", "x = (\n"),
        ('def f():\n    """Load a file."""\n', 'def f():\n    """Save a file."""\n'),
        ('x = 1\n"""The x."""\n', 'x = 1\n"""The y."""\n'),
        ("s = u'a'\n", "s = u'b'\n"),
    ],
)
def test_meaning_changes_are_caught(before: str, after: str) -> None:
    assert not equivalent(before, after)


def test_yaml_tabs_and_trailing_whitespace_are_fixed_when_data_is_kept() -> None:
    fixed, applied = fix_text("ci.yml", "a: 1  \nb:\n\t- 2")
    assert fixed == "a: 1\nb:\n  - 2\n"
    assert applied == ("yaml-tabs", "trailing-whitespace", "final-newline")


def test_yaml_block_scalar_whitespace_is_meaning_so_the_file_is_left_alone() -> None:
    text = "script: |\n  echo hi  \n  done\n"
    assert fix_text("a.yaml", text) == (text, ())


def test_broken_yaml_that_stays_broken_is_left_alone() -> None:
    text = "x: [1, 2  \n"
    assert fix_text("a.yml", text) == (text, ())


def test_markdown_keeps_its_two_space_line_breaks() -> None:
    assert fix_text("README.md", "line  \nnext") == ("line  \nnext\n", ("final-newline",))


DOCSTRING_TEXT = [
    ('def f():\n    """a   b\n    c"""\n', 'def f():\n    """a b c"""\n'),
    (
        'def f():\n    """Load a file\n\n    More."""\n',
        'def f():\n    """Load a file.\n\n    More.\n    """\n',
    ),
    ('def f():\n    """\n    >>> 1+1\n    2\n    """\n', 'def f():\n    """>>> 1+1 2."""\n'),
]


@pytest.mark.parametrize(("before", "after"), DOCSTRING_TEXT)
def test_docstring_text_is_part_of_the_program(before: str, after: str) -> None:
    """`__doc__` and doctests read it: only indentation and trailing whitespace may change,
    unless the user opts in to docformatter's text rules."""
    assert not equivalent(before, after)
    if ">>>" not in before:
        assert equivalent(before, after, lenient_docstrings=True), "what docformatter may do"


def test_the_guard_sees_which_import_binds_a_name_last() -> None:
    before = "from b import X\nfrom a import X\nprint(X)\n"
    assert not equivalent(before, "from a import X\nfrom b import X\nprint(X)\n")
    assert equivalent(before, before)


def test_a_file_that_quotes_its_own_source_keeps_that_source() -> None:
    """boltons' test_tbutils asserts on its traceback: `raise ValueError('yay fun')` must stay
    spelled that way (black's quote normalisation broke two of its tests)."""
    before = (
        "def test():\n    try:\n        raise ValueError('yay fun')\n    except ValueError:\n"
        "        pass\n    assert \"ValueError('yay fun')\" in TRACE\n"
    )
    after = before.replace("raise ValueError('yay fun')", 'raise ValueError("yay fun")')
    assert not equivalent(before, after)
    assert equivalent("x = 'ab cd ef'\n", 'x = "ab cd ef"\n'), "a literal quoted once is free"
