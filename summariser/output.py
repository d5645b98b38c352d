"""Writing files: atomically for regular files, through for anything else.

A regular file (or a new path) is written to a temp file in the same folder,
then renamed over the target, so readers see the old file or the new one,
never half. A target that exists and is not a regular file (``/dev/null``, a
FIFO, a symlink to a terminal) is written through, never replaced. New files
get the permissions the umask allows, like any other tool's; a replaced file
keeps its own.

With ``follow_links=False`` (the nightly job, whose output names are
predictable) nothing in place is written through: a symlink or any other
non-regular entry at the target is replaced by the new regular file, so a
link planted in a shared output folder cannot redirect a write.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from summariser.errors import RenderError

__all__ = ["write_atomic"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str, *, follow_links: bool = True) -> Path:
    """Write ``text`` to ``path``; see the module docstring for what happens to non-regular targets."""
    target = Path(path)
    try:
        if not follow_links and target.is_dir() and not target.is_symlink():
            raise RenderError(f"cannot write {target}: is a directory")
        if follow_links and (target.is_symlink() or (target.exists() and not target.is_file())):
            # Symlinks and devices are written through, never replaced.
            if target.is_dir():
                raise RenderError(f"cannot write {target}: is a directory")
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(text)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        regular = target.exists() and target.is_file() and not target.is_symlink()
        mode = stat.S_IMODE(target.stat().st_mode) if regular else 0o666 & ~_umask()
        # The writer's pid is in the name, so a killed writer's litter is known as such.
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target
