"""The governor CLI's action parsing and argument checks (no chain needed)."""

from __future__ import annotations

import pytest

from app.cli import main
from app.cli.governor import _parse_action
from app.errors import InputError

TARGET = "0x" + "ab" * 20


def test_colon_form_converts_arguments_by_type() -> None:
    call = _parse_action(f"{TARGET}:f(uint256,bool,bytes2,address):0x10,true,0xbeef,{TARGET}")
    assert call.signature == "f(uint256,bool,bytes2,address)"
    assert call.args == (16, True, b"\xbe\xef", TARGET)


def test_colon_form_without_arguments() -> None:
    call = _parse_action(f"{TARGET}:pause()")
    assert (call.signature, call.args) == ("pause()", ())


def test_json_form_keeps_value() -> None:
    call = _parse_action(
        f'{{"target": "{TARGET}", "signature": "g(uint8)", "args": [3], "value": 5}}'
    )
    assert (call.signature, call.args, call.value) == ("g(uint8)", (3,), 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{TARGET}:f(uint8):x", "not a valid uint8"),
        (f"{TARGET}:f(uint8):1,2", "takes 1 arguments, 2 given"),
        (f"{TARGET}:f uint8):1", "not a function signature"),
        ('{"signature": "f()"}', "not valid JSON of the expected shape"),
    ],
)
def test_bad_actions_get_input_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        _parse_action(text)


def test_writes_need_a_chain_id(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["governor", "queue", "1", "--rpc", "http://127.0.0.1:9", "--governor", TARGET])
    assert code == 2
    assert "--chain-id" in capsys.readouterr().err
