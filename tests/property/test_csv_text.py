"""The quick CSV paths give csv's own answers: ``rows_text`` the bytes ``csv.writer`` writes,
``_field_counts`` the field counts ``csv.reader`` reads."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.runs import csvtext
from sim.runs.csvtext import rows_text
from sim.runs.integrity import _field_counts
from sim.runs.uncertainty_record import Formatted

fields = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.booleans(),
    st.none(),
    st.text(alphabet='ab ,"\r\n\t\0é', max_size=4),
)


def by_csv(columns: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(zip(*columns, strict=True))
    return buffer.getvalue()


@st.composite
def column_sets(draw: st.DrawFn) -> list[list[Any]]:
    rows = draw(st.integers(0, 6))
    kinds = st.sampled_from(["float", "int", "bool", "text", "mixed"])
    columns = []
    for kind in draw(st.lists(kinds, min_size=1, max_size=5)):
        element = {
            "float": st.floats(allow_nan=True, allow_infinity=True),
            "int": st.integers(-(10**30), 10**30),
            "bool": st.booleans(),
            "text": st.text(alphabet='ab ,"\r\n\té', max_size=4),
            "mixed": fields,
        }[kind]
        columns.append(draw(st.lists(element, min_size=rows, max_size=rows)))
    return columns


@settings(max_examples=400, deadline=None)
@given(column_sets())
def test_rows_text_is_what_csv_writes(columns: list[list[Any]]) -> None:
    assert rows_text(columns) == by_csv(columns)


def test_the_quick_path_is_taken_and_a_wrong_one_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A table of numbers and plain words is joined directly (the writer is never used), and
    the comparison above can fail: taking text that needs quotes as plain differs."""
    columns: list[list[Any]] = [["s", "s"], [0, 1], [0.1, float("inf")], ["yes", "no"]]
    expected = by_csv(columns)
    with monkeypatch.context() as patch:
        patch.setattr(csvtext.csv, "writer", None)
        assert rows_text(columns) == expected == "s,0,0.1,yes\ns,1,inf,no\n"
    quoted: list[list[Any]] = [["a,b"], [1]]
    monkeypatch.setattr(csvtext, "_QUOTED", ())
    assert rows_text(quoted) != by_csv(quoted)


def by_reader(text: str) -> list[int]:
    return [len(record) for record in csv.reader(io.StringIO(text, newline=""))]


def outcome(read: Any) -> tuple[str, Any]:
    try:
        return "ok", list(read())
    except csv.Error as error:
        return "error", str(error)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet='ab,\n"\r\0 é', max_size=40))
def test_field_counts_are_what_the_reader_reads(text: str) -> None:
    assert outcome(lambda: _field_counts(text)) == outcome(lambda: by_reader(text))


def test_field_counts_over_the_field_size_limit_are_read_by_csv() -> None:
    """A field longer than csv's limit is refused as the reader refuses it."""
    text = "a,b\n" + "x" * (csv.field_size_limit() + 1) + ",y\n"
    assert outcome(lambda: _field_counts(text))[0] == "error"
    assert outcome(lambda: _field_counts(text)) == outcome(lambda: by_reader(text))


def test_field_counts_of_known_texts() -> None:
    """An empty line has no field (not one); a final line without its end is a row; quotes
    and carriage returns are the reader's to read."""
    assert list(_field_counts("a,b\n\nc,d\n")) == [2, 0, 2]
    assert list(_field_counts("a,b\nc,d")) == [2, 2]
    assert list(_field_counts('a,"b,c"\r\nd,e\r\n')) == [2, 2]
    assert list(_field_counts("")) == []


def test_formatted_columns_are_what_csv_writes_each_kept_once_within_the_limit() -> None:
    def written(value: float) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([value])
        return buffer.getvalue()[:-1]

    rng = np.random.default_rng(3)
    columns = [rng.normal(size=5) * 10.0**k for k in (-8, 0, 300)]
    columns[0][0] = np.nan
    formatted = Formatted(limit=12)
    for column in columns:
        assert formatted(column) == [written(v) for v in column.tolist()]
    assert len(formatted.columns) == 2 and formatted.left == 2  # the third would pass 12
    assert formatted(columns[0].copy()) is formatted(columns[0])  # kept by its values
    assert formatted(columns[2]) is not formatted(columns[2])  # beyond the limit: afresh
