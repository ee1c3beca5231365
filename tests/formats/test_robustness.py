"""Readers turn any malformed data into InputError, never another exception."""

from __future__ import annotations

import json

import pytest

from stylesim import formats
from stylesim.errors import InputError

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

KEYS = [
    "instruction", "output", "generator", "dataset", "session_id", "model_output", "model_test",
    "question_id", "uid", "model_id", "model", "choices", "index", "turns", "content", "messages",
    "role", "conversations", "from", "value", "id", "custom_id", "response", "status_code", "body",
    "error", "object", "text", "message", "finish_reason", "usage", "output", "samples",
    "prompt_index", "prompt", "params", "temperature", "max_tokens", "test_model", "prompt_id",
    "sample", "type", "answer", "system",
]
ROLES = ["user", "assistant", "system", "human", "gpt", "tool", "response", "output_text"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 300), st.floats(allow_nan=False, width=32),
    st.sampled_from(ROLES), st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    ),
    max_leaves=25,
)
records = st.dictionaries(st.sampled_from(KEYS), values, max_size=7)


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=lambda f: f.name)
def test_structured_garbage_gives_input_error_only(tmp_path, fmt):
    path = tmp_path / "data"

    @hypothesis.settings(max_examples=100, deadline=None)
    @hypothesis.given(
        st.one_of(
            st.lists(records, max_size=3).map(json.dumps),
            st.lists(records, min_size=1, max_size=3).map(
                lambda rs: "\n".join(json.dumps(r) for r in rs)
            ),
            st.dictionaries(st.text(max_size=5), records, max_size=2).map(json.dumps),
            values.map(json.dumps),
        )
    )
    def check(text):
        path.write_text(text, encoding="utf-8")
        try:
            for record in fmt.read(path):
                assert isinstance(record.prompt_id, str)
                assert isinstance(record.response, str)
        except InputError as exc:
            assert str(exc).startswith(str(path))

    check()
