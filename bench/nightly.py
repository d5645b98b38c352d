"""Nightly throughput benchmark against the stub server.

    python bench/nightly.py [--articles 200] [--latency 0.2]

Starts bench/stub_server.py as its own process, writes small articles, then
runs the nightly job at concurrency 1, 8 and 32 (a fresh database each time)
and compares wall time with the ideal: articles x calls per article x
latency / concurrency (each brief is two model calls), with the least the night's whole waves of
articles allow beside it, and our process's CPU time a brief
(the whole night's: briefs, files, state, threads). Then it runs the job
again over the finished database: wall time and model calls (target: 0 calls,
under 2 s). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles import write_articles  # noqa: E402
from stub_server import as_process  # noqa: E402

from summariser.config import load_settings  # noqa: E402
from summariser.nightly import NightlyConfig, run_nightly  # noqa: E402

CALLS_PER_ARTICLE = 2


def _stats(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=5) as response:
        return int(json.loads(response.read())["requests"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 8, 32])
    args = parser.parse_args()

    with as_process(args.latency) as port:
        settings = load_settings(trust_env=False, model="stub/bench", base_url=f"http://127.0.0.1:{port}/v1")
        result: dict[str, float | int] = {"articles": args.articles, "latency": args.latency}
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "articles"
            write_articles(folder, args.articles)
            last: NightlyConfig | None = None
            for concurrency in args.concurrency:
                config = NightlyConfig(
                    sources=(str(folder),),
                    out=Path(tmp) / f"out-c{concurrency}",
                    db=Path(tmp) / f"state-c{concurrency}.db",
                    concurrency=concurrency,
                )
                started, cpu = time.perf_counter(), time.process_time()
                report = run_nightly(config, settings)
                wall = time.perf_counter() - started
                cpu_ms = (time.process_time() - cpu) / args.articles * 1000
                ideal = args.articles * CALLS_PER_ARTICLE * args.latency / concurrency
                # An article's calls follow one another, so the night takes whole waves of articles:
                # the least it can take with no CPU spent at all.
                floor = -(-args.articles // concurrency) * CALLS_PER_ARTICLE * args.latency
                print(
                    f"concurrency {concurrency:>2}: {wall:6.2f} s, ideal {ideal:6.2f} s, ratio {wall / ideal:.2f} "
                    f"(waves alone {floor / ideal:.2f}), done {report.done}, failed {report.failed}, "
                    f"our CPU {cpu_ms:.1f} ms a brief"
                )
                result[f"c{concurrency}_waves_ratio"] = round(floor / ideal, 3)
                result[f"c{concurrency}_seconds"] = round(wall, 2)
                result[f"c{concurrency}_ratio"] = round(wall / ideal, 3)
                result[f"c{concurrency}_cpu_ms"] = round(cpu_ms, 1)
                last = config
            assert last is not None
            before = _stats(port)
            started = time.perf_counter()
            report = run_nightly(last, settings)
            rerun = time.perf_counter() - started
            calls = _stats(port) - before
            print(f"rerun: {rerun:.2f} s, {calls} model calls, {report.unchanged} already done")
            result["rerun_seconds"] = round(rerun, 3)
            result["rerun_calls"] = calls
        print(json.dumps(result))


if __name__ == "__main__":
    main()
