"""llama.cpp's OpenAI-compatible server over the embedded model, with our safe defaults.

    python -m summariser.llama_server --model local --port 8765

``--model local`` means the shipped Qwen2.5-Coder-1.5B weights (assembled in
the cache dir on first use); any other value is passed on as a GGUF path. All
other flags go to ``python -m llama_cpp.server`` unchanged. This is the server
the cassettes in ``cassettes/`` are recorded against.
"""

from __future__ import annotations

import sys

from summariser.local import apply_safe_defaults, ensure_weights

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Start the server; ``argv`` defaults to ``sys.argv[1:]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--model" in args:
        index = args.index("--model") + 1
        if index < len(args) and args[index] == "local":
            args[index] = str(ensure_weights())
    else:
        args = ["--model", str(ensure_weights()), *args]
    apply_safe_defaults()
    from llama_cpp.server.__main__ import main as server_main

    sys.argv = ["llama_cpp.server", *args]
    server_main()  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    main()
