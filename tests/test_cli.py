from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summariser.cli import app

from .conftest import CONTRACT_KEYS, completion, devset_path, first_choice
from .payloads import ITEMS_JSON, SIDES_JSON

runner = CliRunner()


def serve_good(model_server: Any) -> None:
    model_server.respond = lambda body, n: (
        200,
        {},
        first_choice(body) or completion(ITEMS_JSON if "Step 2" in json.dumps(body["messages"]) else SIDES_JSON),
        0.0,
    )


def test_help_explains_each_option() -> None:
    result = runner.invoke(app, ["brief", "--help"])
    assert result.exit_code == 0
    for option in ("--output", "--format", "--model", "--base-url", "--max-attempts", "--verbose"):
        assert option in result.output
    top = runner.invoke(app, ["--help"])
    assert "brief" in top.output and "eval" in top.output and "nightly" in top.output


def test_brief_json_to_stdout(model_server: Any) -> None:
    serve_good(model_server)
    result = runner.invoke(
        app,
        [
            "brief",
            devset_path("ceasefire_marenia"),
            "--format",
            "json",
            "--model",
            "llamacpp/test",
            "--base-url",
            model_server.base_url,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert data["meta"]["provider"] == "llamacpp"


def test_brief_markdown_to_file_with_env_model(
    model_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_good(model_server)
    monkeypatch.setenv("SUMMARISER_MODEL", "llamacpp/test")
    monkeypatch.setenv("SUMMARISER_BASE_URL", model_server.base_url)
    out = tmp_path / "brief.md"
    result = runner.invoke(app, ["brief", devset_path("ceasefire_marenia"), "-o", str(out), "-v"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# Marenian and Dostrak envoys agree")
    assert "## Next steps" in text and "April 9" in text
    assert "wrote" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "/no/such/file.txt"], "error: file not found: /no/such/file.txt"),
        (["brief", "ftp://example.org/x"], "error: unsupported URL scheme 'ftp'"),
        (["brief", "tests"], "error: is a directory"),
        (["brief", devset_path("ceasefire_marenia"), "--model", "nonsense/x"], "error: unknown provider 'nonsense'"),
        (
            ["brief", devset_path("ceasefire_marenia"), "--model", "openai/gpt-4.1-mini"],
            "error: OPENAI_API_KEY is not set",
        ),
    ],
)
def test_errors_are_one_line_and_exit_1(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in result.output


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    for path, message in ((empty, "input is empty"), (binary, "looks binary")):
        result = runner.invoke(app, ["brief", str(path)])
        assert result.exit_code == 1 and message in result.stderr


def test_too_long_for_local_context(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("The negotiators met again on Monday to discuss the draft. " * 3000)
    result = runner.invoke(app, ["brief", str(long), "--model", "local"])
    assert result.exit_code == 1
    assert "too long for the model's context" in result.stderr


def test_server_down_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "brief",
            devset_path("ceasefire_marenia"),
            "--model",
            "llamacpp/x",
            "--base-url",
            "http://u:pw@127.0.0.1:9/v1",
        ],
        env={"SUMMARISER_TRANSPORT_RETRIES": "0"},
    )
    assert result.exit_code == 1
    # The server it could not reach, once, without the credentials in its URL.
    assert "connection failed at http://127.0.0.1:9/v1/chat/completions" in result.stderr
    assert result.stderr.count("127.0.0.1:9") == 1 and "pw" not in result.stderr


def test_version_short_help_and_dash_output(model_server: Any, tmp_path: Path) -> None:
    from importlib.metadata import version

    assert runner.invoke(app, ["--version"]).output.strip() == f"summarise {version('summariser')}"
    assert "--output" in runner.invoke(app, ["brief", "-h"]).output
    serve_good(model_server)
    result = runner.invoke(
        app,
        [
            "brief",
            devset_path("ceasefire_marenia"),
            "-o",
            "-",
            "--format",
            "json",
            "--model",
            "llamacpp/test",
            "--base-url",
            model_server.base_url,
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["is_negotiation"] is True
    assert not Path("-").exists()


def test_config_shows_each_setting_and_where_it_came_from(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('timeout = 30\ntrust = "rules"\n')
    env = {"SUMMARISER_MAX_ATTEMPTS": "3", "OPENAI_API_KEY": "sk-test-secret-123"}
    result = runner.invoke(app, ["config", "--config", str(toml), "--model", "openai/gpt-4.1"], env=env)
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") >= 3}
    assert "config file" in rows["timeout"] and "30" in rows["timeout"]
    assert "from SUMMARISER_MAX_ATTEMPTS" in rows["max_attempts"]
    assert "flag" in rows["model"]
    assert "set" in rows["api_key"] and "sk-test" not in result.output
    assert "rules" in rows["who decides (trust)"]  # the file's trust wins over the provider's default
    assert str(toml) in result.output


def test_config_with_a_bad_value_is_one_line(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('trust = "always"\n')
    result = runner.invoke(app, ["config", "--config", str(toml)])
    assert result.exit_code != 0 and "trust (config file)" in result.output and "Traceback" not in result.output
