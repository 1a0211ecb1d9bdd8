"""`vraagbaak chat` says what it prepares while it starts, and /stop, Ctrl-D and Ctrl-C end it
with a Dutch goodbye and no traceback (issue 15, item 5). Time is not asserted: the subprocess
wait only keeps a broken build from hanging the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

EVAL = Path(__file__).parents[1] / "fixtures" / "eval"
GOODBYE = "Tot ziens!"


@pytest.fixture
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", url)
    monkeypatch.setenv("VRAAGBAAK_EMBEDDER", "hashing")
    monkeypatch.setenv("VRAAGBAAK_DEDUCE", "false")
    assert CliRunner().invoke(app, ["import", "experts", str(EVAL / "experts.csv")]).exit_code == 0
    return url


@pytest.mark.parametrize("typed", ["/stop\n", ""], ids=["stop", "ctrl-d"])
def test_chat_shows_its_start_up_and_says_goodbye(directory: str, typed: str) -> None:
    result = CliRunner().invoke(app, ["chat", "--as", "m005"], input=typed)
    assert result.exit_code == 0, result.output
    for step in ("taalmodel laden", "Profielen van collega's inlezen", "Zoekindexen opbouwen"):
        assert step in result.output
    assert "teksten" in result.output  # the passages embedded, counted
    assert "Klaar om vragen te beantwoorden" in result.output
    assert result.output.rstrip().endswith(GOODBYE)
    assert "Traceback" not in result.output


def test_ctrl_c_at_the_prompt_says_goodbye(directory: str) -> None:
    chat = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", "chat", "--as", "m005"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        cwd=Path(__file__).parents[2],
    )
    assert chat.stdout is not None and chat.stderr is not None
    seen = ""
    while "Typ /hulp" not in seen:  # the greeting: the chat is waiting for a line
        line = chat.stdout.readline()
        assert line, chat.stderr.read()
        seen += line
    chat.send_signal(signal.SIGINT)
    out, err = chat.communicate(timeout=60)
    assert chat.returncode == 0, err
    assert out.rstrip().endswith(GOODBYE) and "Traceback" not in err
