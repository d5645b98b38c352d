"""summariser: evidence-grounded briefs of negotiation news.

>>> from summariser import summarise, render_markdown
>>> print(render_markdown(summarise("article.txt")))
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from summariser.errors import (
    ArticleTimeoutError,
    BriefValidationError,
    ConfigError,
    InputError,
    ModelCallError,
    ModelRefusalError,
    RenderError,
    ServerUnavailableError,
    SummariserError,
)

if TYPE_CHECKING:
    from summariser.config import Settings, load_settings
    from summariser.html import render_html
    from summariser.load import Article, load_article
    from summariser.pipeline import asummarise, summarise
    from summariser.render import render_json, render_markdown
    from summariser.schemas import Brief

# Imported on first use, so that `import summariser` (and the CLI's --help) does not load the
# model clients: name -> module.
_LAZY = {
    "Settings": "summariser.config",
    "load_settings": "summariser.config",
    "render_html": "summariser.html",
    "Article": "summariser.load",
    "load_article": "summariser.load",
    "asummarise": "summariser.pipeline",
    "summarise": "summariser.pipeline",
    "render_json": "summariser.render",
    "render_markdown": "summariser.render",
    "Brief": "summariser.schemas",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summariser' has no attribute {name!r}")


try:
    __version__ = version("summariser")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "Brief",
    "ArticleTimeoutError",
    "BriefValidationError",
    "ConfigError",
    "InputError",
    "ModelCallError",
    "ModelRefusalError",
    "ServerUnavailableError",
    "RenderError",
    "Settings",
    "SummariserError",
    "asummarise",
    "load_article",
    "load_settings",
    "render_html",
    "render_json",
    "__version__",
    "render_markdown",
    "summarise",
]
