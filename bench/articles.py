"""Small fictional negotiation articles for the nightly benchmark and tests."""

from __future__ import annotations

from pathlib import Path

COUNTRIES = ["Alderia", "Brontia", "Carvell", "Dunmoor", "Estova", "Falkreach", "Gorland", "Hestia", "Ivarra", "Jorvik"]


def article_text(i: int) -> str:
    a, b = COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i * 3 + 1) % len(COUNTRIES)]
    if a == b:
        b = COUNTRIES[(i + 5) % len(COUNTRIES)]
    return (
        f"Talks number {i}: envoys meet again\n\n"
        f"Negotiators from {a} and {b} met on Monday for round {i} of talks on fishing rights. "
        f"The delegation of {a} demanded a quota of {100 + i} tonnes for its fleet. "
        f"Envoys from {b} offered a joint patrol of the disputed waters instead. "
        f"Both sides will meet again next month to review the offer.\n"
    )


def write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"talks-{i:04d}.txt"
        path.write_text(article_text(i))
        paths.append(path)
    return paths
