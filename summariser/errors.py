"""The one exception hierarchy of summariser.

    SummariserError
    ├── ConfigError            bad settings: unknown provider, missing key, missing extra
    ├── InputError             the article cannot be read, fetched, decoded or fitted
    │   ├── HostUnreachableError  a fetch timed out or its host could not be reached
    │   └── ArticleTimeoutError  the article took longer than its time budget
    ├── ModelCallError         the model call failed after its retries
    │   └── ModelRefusalError  the model refused to answer
    ├── BriefValidationError   the model's output cannot be turned into a grounded brief
    └── RenderError            the brief cannot be written out

Every message is one actionable line; the CLI prints it and exits 1.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "SummariserError",
    "ConfigError",
    "InputError",
    "HostUnreachableError",
    "ArticleTimeoutError",
    "ModelCallError",
    "ModelRefusalError",
    "ServerUnavailableError",
    "BriefValidationError",
    "RenderError",
]


class SummariserError(Exception):
    """Base class of every error summariser raises on purpose."""


class ConfigError(SummariserError):
    """The settings cannot work: unknown provider, missing key, missing extra."""


class InputError(SummariserError):
    """The article cannot be loaded, cleaned or fitted into the model's context."""


class HostUnreachableError(InputError):
    """A fetch timed out, or its host could not be resolved or reached (not an HTTP error status)."""


class ArticleTimeoutError(InputError):
    """One article took longer than ``article_timeout``: it fails, the night goes on."""

    @classmethod
    def after(cls, seconds: float) -> ArticleTimeoutError:
        return cls(
            f"gave up on this article after {seconds:g} s (article_timeout; SUMMARISER_ARTICLE_TIMEOUT to change it)"
        )


class ModelCallError(SummariserError):
    """The model call failed for good (transport retries or re-asks exhausted)."""

    def __init__(
        self,
        message: str,
        *,
        n_attempts: int = 0,
        last_completion: Any = None,
        usage: dict[str, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.n_attempts = n_attempts
        self.last_completion = last_completion
        self.usage = usage or {}


class ServerUnavailableError(ModelCallError):
    """The model server could not be reached, timed out or kept failing (5xx, 429) through every
    transport retry: the server's fault, not the article's (a fleet moves the article elsewhere)."""


class ModelRefusalError(ModelCallError):
    """The model refused the request (``message.refusal``)."""


class Pending(SummariserError):
    """Batch mode: the brief needs answers not collected yet. It waits for a round; it did not fail."""


class BriefValidationError(SummariserError):
    """The model's output could not be parsed into a brief at all."""


class RenderError(SummariserError):
    """The brief could not be rendered or written."""
