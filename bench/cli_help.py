"""How long `summarise --help` takes: the CLI imports the model stack only when a command runs.

python bench/cli_help.py          # median of 7 runs; target 0.3 s on 2 cores, quiet machine
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 0.3


def main() -> int:
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "summariser", "--help"], check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    median = statistics.median(runs)
    print(f"summarise --help: median {median:.3f} s over {len(runs)} runs (target {TARGET_SECONDS} s)")
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
