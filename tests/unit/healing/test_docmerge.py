"""docformatter's output kept docstring by docstring (the pure merge, no tools run)."""

from __future__ import annotations

from oasis_action.healing.docmerge import Merged, keep_safe

BEFORE = (
    "def tidy():\n"
    '    """   Trailing spaces and a blank line.   \n'
    "\n"
    '    """\n'
    "\n"
    "\n"
    "def reworded():\n"
    '    """lower-case summary without a period"""\n'
)
AFTER = (
    "def tidy():\n"
    '    """Trailing spaces and a blank line."""\n'
    "\n"
    "\n"
    "def reworded():\n"
    '    """Lower-case summary without a period."""\n'
)


def test_a_relaid_docstring_is_kept_and_a_reworded_one_left_out() -> None:
    merged = keep_safe(BEFORE, AFTER)
    assert merged.text == (
        "def tidy():\n"
        '    """Trailing spaces and a blank line."""\n'
        "\n"
        "\n"
        "def reworded():\n"
        '    """lower-case summary without a period"""\n'
    )
    assert merged.left_out == 1


def test_changes_outside_docstrings_are_left_out() -> None:
    """jinja2's lexer: docformatter takes a verbose regular expression passed to re.compile
    for a docstring and breaks the line before its comma; black joins it again, forever."""
    before = 'import re\n\nfloat_re = re.compile(\n    r"""\n    (\\d+_)*\\d+  # digits\n    """,\n    re.VERBOSE,\n)\n'
    after = before.replace('    """,\n', '    """\n\n       ,\n')
    merged = keep_safe(before, after)
    assert (merged.text, merged.left_out, merged.docstrings) == (before, 1, ())


def test_columns_are_counted_in_bytes_as_the_ast_reports_them() -> None:
    before = 'def café(): """  Doc.  """\n'
    after = 'def café(): """Doc."""\n'
    assert keep_safe(before, after).text == after


def test_output_that_cannot_be_matched_is_not_used() -> None:
    assert keep_safe("x = 1\n", "x = (\n").text == "x = 1\n", "does not parse"
    two = 'def f():\n    """Doc."""\n'
    assert keep_safe(two, "def f():\n    pass\n").text == two, "a docstring lost"
    assert keep_safe(two, two).left_out == 0
    assert keep_safe('"""A\rB."""\n', '"""A B."""\n') == Merged('"""A\rB."""\n', 1), "a lone CR"
