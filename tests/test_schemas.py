from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from summariser.schemas import Brief

from .conftest import CONTRACT_KEYS, ROOT


def test_committed_json_schema_matches_the_models() -> None:
    committed = json.loads((ROOT / "schemas" / "brief.schema.json").read_text())
    assert committed == Brief.model_json_schema(), (
        "regenerate: python -m summariser.schemas > schemas/brief.schema.json"
    )


def test_public_contract_keys() -> None:
    fields = set(Brief.model_fields)
    assert fields >= CONTRACT_KEYS


def test_wheel_ships_schemas_and_prompts_under_the_package(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(result.stderr[-2000:])
    wheel = next(tmp_path.glob("summariser-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "summariser/schemas/brief.py" in names
    assert "summariser/schemas/brief.schema.json" in names
    assert "summariser/prompts/system.j2" in names and "summariser/prompts/items.j2" in names
    assert "summariser/py.typed" in names
    assert not any(name.startswith(("schemas/", "prompts/")) for name in names)
