"""Writing files atomically: a temp file in the same folder, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from summariser.errors import RenderError

__all__ = ["write_atomic"]


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` so readers see the old file or the new one, never half."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target
