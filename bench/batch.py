"""Batch mode through a kill -9 in every phase, on the localhost fake of the Batch API.

    python bench/batch.py [--articles 500]

For each phase (uploading a round, the batch created but its id not stored, collecting, the
second round's batch created) a fresh night of N articles runs ``summarise nightly --batch`` as
a subprocess; the fake kills it with SIGKILL in that phase; then runs go on until no article
waits. Checked: every brief exactly once (state and files), no request submitted in two batches,
and a last run creating no batch and uploading no file. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles import write_articles  # noqa: E402
from fake_batches import FakeBatches, serve_in_thread  # noqa: E402

PHASES = ("upload", "created", "content", "create-2")


def _night(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=1800)


def _statuses(db: Path) -> Counter[str]:
    with sqlite3.connect(db) as conn:
        return Counter(status for (status,) in conn.execute("SELECT status FROM articles"))


def phase(event: str, count: int, root: Path) -> dict[str, object]:
    fake = FakeBatches(polls=0)
    server = serve_in_thread(fake)
    url = f"http://127.0.0.1:{server.port}/v1"
    try:
        write_articles(root / "in", count)
        (root / "none.toml").write_text("")
        env = {**os.environ, "OPENAI_API_KEY": "sk-bench", "SUMMARISER_CONFIG": str(root / "none.toml")}
        args = [sys.executable, "-m", "summariser", "nightly", "--batch", "--source", str(root / "in"),
                "--out", str(root / "out"), "--db", str(root / "state.db"), "--model", "openai/gpt-bench",
                "--base-url", url]  # fmt: skip
        started = time.perf_counter()
        runs = 0
        if event in ("content", "create-2"):
            runs += 1
            assert _night(args, env).returncode == 0
        killed = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        fake.kill = (event, killed.pid)
        assert killed.wait(timeout=1800) == -9, f"never reached {event}"
        runs += 1
        while _statuses(root / "state.db")["pending"] and runs < 12:
            assert _night(args, env).returncode == 0
            runs += 1
        creates, files = fake.creates, len(fake.files)
        assert _night(args, env).returncode == 0
        per_request = Counter(cid.rsplit("-", 1)[0] for ids in fake.submitted.values() for cid in ids)
        briefs = len(list((root / "out" / "briefs").glob("*.json")))
        return {
            "phase": event,
            "done": _statuses(root / "state.db")["done"],
            "briefs": briefs,
            "runs": runs,
            "batches": len(fake.submitted),
            "lines": sum(per_request.values()),
            "submitted_twice": sum(1 for n in per_request.values() if n > 1),
            "rerun_batches": fake.creates - creates,
            "rerun_uploads": len(fake.files) - files,
            "seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    results = []
    for event in PHASES:
        with tempfile.TemporaryDirectory() as tmp:
            result = phase(event, args.articles, Path(tmp))
        print(
            f"kill -9 at {event:>9}: {result['done']} done, {result['briefs']} briefs, {result['runs']} runs, "
            f"{result['lines']} lines in {result['batches']} batches, {result['submitted_twice']} submitted twice, "
            f"re-run: {result['rerun_batches']} batches / {result['rerun_uploads']} uploads, {result['seconds']} s"
        )
        results.append(result)
    ok = all(
        r["done"] == r["briefs"] == args.articles and r["submitted_twice"] == r["rerun_batches"] == 0 for r in results
    )
    print(json.dumps({"articles": args.articles, "exactly_once": ok, "phases": results}))


if __name__ == "__main__":
    main()
