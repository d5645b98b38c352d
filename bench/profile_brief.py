"""Our own CPU per brief, outside the model: where the time goes.

    python bench/profile_brief.py [--briefs 50] [--top 15] [--folder devset]

Starts bench/stub_server.py as its own process (no latency), briefs small articles (or, with
``--folder``, the ``.txt`` articles of a folder, such as the dev set's, of real length) through
``summarise`` with one provider, and reports the CPU time of this process per brief (the
stub's own work is in the other process) and the functions that take most of it. The
target (issue 23) is 10 ms a brief. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from articles import article_text  # noqa: E402
from stub_server import as_process  # noqa: E402

from summariser import summarise  # noqa: E402
from summariser.call import resolve_provider  # noqa: E402
from summariser.config import load_settings  # noqa: E402
from summariser.load import load_article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=50)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="cumulative", help="a pstats order: cumulative, tottime, ncalls")
    parser.add_argument("--folder", type=Path, help="brief this folder's .txt articles in turn, not small ones")
    args = parser.parse_args()
    texts = [load_article(str(p)).text for p in sorted(args.folder.glob("*.txt"))] if args.folder else []

    def article(i: int) -> str:
        return texts[i % len(texts)] if texts else article_text(i)

    with as_process() as port:
        settings = load_settings(trust_env=False, model="stub/bench", base_url=f"http://127.0.0.1:{port}/v1")
        provider = resolve_provider(settings)
        for i in range(3):  # warm: imports, compiled patterns, the connection
            summarise(text=article(i), settings=settings, provider=provider)
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(args.briefs):  # timed without the profiler, which slows what it watches
            summarise(text=article(i), settings=settings, provider=provider)
        cpu_ms = (time.process_time() - cpu) / args.briefs * 1000
        wall_ms = (time.perf_counter() - wall) / args.briefs * 1000
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.briefs):
            summarise(text=article(i), settings=settings, provider=provider)
        profile.disable()
        provider.close()
    stats = pstats.Stats(profile)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(f"per brief: {cpu_ms:.1f} ms of our CPU, {wall_ms:.1f} ms wall (the rest is the stub's); target 10 ms")
    print(
        json.dumps(
            {
                "briefs": args.briefs,
                "articles": str(args.folder or "small"),
                "mean_chars": round(sum(map(len, map(article, range(args.briefs)))) / args.briefs),
                "cpu_ms_per_brief": round(cpu_ms, 1),
                "wall_ms_per_brief": round(wall_ms, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
