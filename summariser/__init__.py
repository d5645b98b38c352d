"""summariser: evidence-grounded briefs of negotiation news.

>>> from summariser import summarise, render_markdown
>>> print(render_markdown(summarise("article.txt")))
"""

from importlib.metadata import PackageNotFoundError, version

from summariser.config import Settings, load_settings
from summariser.errors import (
    ArticleTimeoutError,
    BriefValidationError,
    ConfigError,
    InputError,
    ModelCallError,
    ModelRefusalError,
    RenderError,
    SummariserError,
)
from summariser.html import render_html
from summariser.load import Article, load_article
from summariser.pipeline import asummarise, summarise
from summariser.render import render_json, render_markdown
from summariser.schemas import Brief

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
