"""What an unquoted YAML scalar means, for `yamlsafe`: null, booleans and decimal numbers as
`yaml.safe_load` reads them, and a refusal for anything YAML 1.1 and 1.2 read differently.
"""

from __future__ import annotations

import re

from adaptwise.domain.text import echo

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    #: How a rule reports a problem: (message, the parser's mark, hint).
    Report = Callable[..., None]


#: Returned by `plain_scalar` for a scalar that is plain text (checked by the caller).
TEXT = object()


TAG = "tag:yaml.org,2002:"


_TRUE = frozenset({"true", "True", "TRUE"})


_FALSE = frozenset({"false", "False", "FALSE"})


_YAML11_TRUE = frozenset({"yes", "Yes", "YES", "on", "On", "ON", "y", "Y"})


_YAML11_FALSE = frozenset({"no", "No", "NO", "off", "Off", "OFF", "n", "N"})


_DECIMAL_INT = r"[-+]?(?:0|[1-9][0-9]*)"


_DECIMAL_FLOAT = r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?"


def plain_scalar(value: str, mark: Any, resolver: Any, add: Report) -> Any:
    """The value of an unquoted, untagged scalar, or `TEXT` when it is plain text.

    A refused scalar is reported through `add(message, mark, hint=...)` and kept as the text
    it was written as.
    """
    import yaml

    kind = resolver.resolve(yaml.ScalarNode, value, (True, False))
    kind = kind.removeprefix(TAG)
    if kind == "null":
        return None
    if kind == "bool" or value in _YAML11_TRUE or value in _YAML11_FALSE:
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        meaning = "true" if value in _YAML11_TRUE else "false"
        add(
            f"'{value}' is read as a YAML 1.1 boolean ({meaning})",
            mark,
            hint=f'quote it ("{value}") if you meant the text, or write true or false',
        )
        return value
    if kind == "int":
        if re.fullmatch(_DECIMAL_INT, value):
            try:
                return int(value)
            except ValueError:  # longer than Python's int/str conversion limit
                digits = len(value.lstrip("+-"))
                add(f"a {digits}-digit number is too long", mark)
                return value
        _odd_number(value, "int", mark, add)
        return value
    if kind == "float":
        if re.fullmatch(_DECIMAL_FLOAT, value):
            number = float(value)
            if number not in (float("inf"), float("-inf")):
                return number
            add(f"'{printable(value)}' is too large a number", mark)
            return value
        _odd_number(value, "float", mark, add)
        return value
    if kind == "merge":
        add(
            "'<<' merge keys are not allowed",
            mark,
            hint='write the keys out in full, or quote it ("<<") if you meant the text',
        )
        return value
    # str, timestamp (kept as written, never a date), value ('=')
    return TEXT


def _odd_number(value: str, kind: str, mark: Any, add: Report) -> None:
    """Refuse a number whose meaning depends on the YAML version, saying what 1.1 reads."""
    lowered = value.lower().lstrip("+-")
    if "inf" in lowered or "nan" in lowered:
        what = "infinity" if "inf" in lowered else "not-a-number"
        add(
            f"'{value}' is YAML for {what}, which adaptwise does not accept",
            mark,
            hint=f'quote it ("{value}") if you meant the text',
        )
        return
    if ":" in lowered:
        style = "base-60 number"
    elif "_" in lowered:
        style = "number with '_' separators"
    elif lowered.startswith("0x"):
        style = "hexadecimal number"
    elif lowered.startswith("0b"):
        style = "binary number"
    else:
        style = "octal number"
    meaning = _yaml11_number(value, kind)
    reads = f" (it would mean {meaning})" if meaning is not None else ""
    add(
        f"'{printable(value)}' is a YAML 1.1 {style}{reads}",
        mark,
        hint=f'quote it ("{printable(value)}") if you meant the text, or write a plain decimal number',
    )


def _yaml11_number(value: str, kind: str) -> str | None:
    import yaml

    if len(value) > 40:
        return None
    constructor = yaml.constructor.SafeConstructor()
    node = yaml.ScalarNode(TAG + kind, value)
    try:
        number = getattr(constructor, f"construct_yaml_{kind}")(node)
    except (ValueError, OverflowError):
        return None
    return repr(number)


def printable(text: str, limit: int = 40) -> str:
    """`text` safe to put in a message: unsafe characters escaped, long text cut short."""
    return echo(text, limit)
