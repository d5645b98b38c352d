"""A simulated night on a fleet: N articles against R stub replicas, each a process of its own.

    python bench/fleet.py [--articles 10000] [--replicas 8] [--concurrency 2] [--calls 7.4]

A brief takes ``--calls`` model calls of 200 ms each (7.4: the embedded model's mean on the 42
realdev briefs, 2 steps + 5.4 questions). The stub's briefs take 2 calls, so each stub call waits
``calls / 2 x 200 ms``: the model time per brief is the real one, our HTTP work per brief is that of
2 calls. Ideal = articles x calls x 0.2 s / (replicas x concurrency). Reported: wall time and its
ratio to ideal (target <= 1.2), the resident memory at article 1,000 and at the end (target: growth
<= 50 MB), the state database's bytes per article, and how evenly the hash spread the articles.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles import write_articles  # noqa: E402
from stub_server import as_process  # noqa: E402

from summariser.config import load_settings  # noqa: E402
from summariser.fleet import Endpoint  # noqa: E402
from summariser.nightly import NightlyConfig, run_nightly  # noqa: E402

CALL_SECONDS = 0.2
STUB_CALLS = 2


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--replicas", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=2, help="requests in flight per replica")
    parser.add_argument("--calls", type=float, default=7.4, help="model calls per brief")
    args = parser.parse_args()
    latency = CALL_SECONDS * args.calls / STUB_CALLS

    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        ports = [stack.enter_context(as_process(latency)) for _ in range(args.replicas)]
        folder = Path(tmp) / "articles"
        write_articles(folder, args.articles)
        config = NightlyConfig(
            sources=(str(folder),),
            out=Path(tmp) / "out",
            db=Path(tmp) / "state.db",
            endpoints=tuple(Endpoint(f"http://127.0.0.1:{port}/v1", args.concurrency) for port in ports),
        )
        settings = load_settings(trust_env=False, model="stub/fleet")
        memory: dict[str, float] = {}
        done = [0]

        def progress(kind: str, detail: str) -> None:
            if kind == "done":
                done[0] += 1
                if done[0] == min(1000, args.articles):
                    memory["rss_mb_at_1000"] = round(_rss_mb(), 1)

        started = time.perf_counter()
        report = run_nightly(config, settings, progress=progress)
        wall = time.perf_counter() - started
        memory["rss_mb_at_end"] = round(_rss_mb(), 1)
        ideal = args.articles * args.calls * CALL_SECONDS / (args.replicas * args.concurrency)
        shares = [server["briefs"] for server in report.endpoints]
        result = {
            "articles": args.articles,
            "replicas": args.replicas,
            "concurrency": args.concurrency,
            "calls_per_brief": args.calls,
            "done": report.done,
            "failed": report.failed,
            "seconds": round(wall, 1),
            "ideal_seconds": round(ideal, 1),
            "ratio": round(wall / ideal, 3),
            **memory,
            "rss_growth_mb": round(memory["rss_mb_at_end"] - memory.get("rss_mb_at_1000", 0.0), 1),
            "db_bytes_per_article": round((Path(tmp) / "state.db").stat().st_size / args.articles),
            "busiest_replica_share": round(max(shares) * len(shares) / max(1, sum(shares)), 3),
        }
        print(
            f"{report.done} briefs in {wall:.1f} s, ideal {ideal:.1f} s, ratio {wall / ideal:.2f}; "
            f"RSS {memory.get('rss_mb_at_1000')} MB at 1,000 -> {memory['rss_mb_at_end']} MB; "
            f"{result['db_bytes_per_article']} B of state per article"
        )
        print(json.dumps(result))


if __name__ == "__main__":
    main()
