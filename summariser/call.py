"""Call stage: messages -> a pydantic model, through instructor over an OpenAI-shaped client.

Two retry layers, kept apart:

* transport (tenacity): 429, 5xx, timeouts and dropped connections are retried
  with exponential backoff and jitter, honouring ``Retry-After``, bounded in
  attempts and in total time;
* validation (instructor re-ask): schema or grounding errors go back to the
  model, at most ``settings.attempts`` completions in all.

Every completion, including failed attempts, is counted in ``CallRecord`` so
token usage is the sum over all attempts. Raises ``ModelCallError`` (transport
exhausted, truncated output, refusal), ``ConfigError`` (bad key, unknown
model) and ``BriefValidationError`` (output unusable even leniently).
"""

from __future__ import annotations

import email.utils
import functools
import inspect
import json
import re
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError, create_model
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)
from tenacity.stop import stop_base

try:  # the HTTP library the installed openai SDK speaks: httpx2 from openai 3, httpx before
    import httpx2 as _http
except ImportError:  # pragma: no cover - older openai
    import httpx as _http  # type: ignore[no-redef]

from summariser.config import Settings
from summariser.errors import (
    ArticleTimeoutError,
    BriefValidationError,
    ConfigError,
    ModelCallError,
    ModelRefusalError,
    ServerUnavailableError,
    SummariserError,
)
from summariser.schemas.extraction import GROUNDING_CHECK

__all__ = [
    "CallRecord",
    "CallResult",
    "Provider",
    "resolve_provider",
    "call_model",
    "transport",
    "redact",
    "is_async",
    "TRANSIENT_ERRORS",
]

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APIConnectionError,  # includes APITimeoutError
)

_DEFAULT_BASE_URLS = {
    "ollama": "http://localhost:11434/v1",
    "llamacpp": "http://localhost:8000/v1",
    "vllm": "http://localhost:8000/v1",
    "lmstudio": "http://localhost:1234/v1",
}
# Servers that refuse or ignore OpenAI's json_schema envelope but take a schema
# inside json_object (llama.cpp, llama-cpp-python).
_SCHEMA_IN_JSON_OBJECT = {"local", "llamacpp"}
_MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "json_schema": instructor.Mode.JSON_SCHEMA}
_MAX_RETRY_AFTER = 60.0
# Credentials a server may echo back: a bearer token, and OpenAI-style secret keys.
_CREDENTIALS = re.compile(r"(?i)\bbearer\s+[\w.~+/=-]+|\bsk-[\w-]{12,}")
REDACTED = "[redacted]"


# The most a model server's answer may be (a brief's JSON is a few KB; a question's answer bytes).
MAX_RESPONSE_BYTES = 5_000_000
_ARTICLE_DEADLINE: ContextVar[float | None] = ContextVar("article_deadline", default=None)
# Tokens one article may still spend, prompts and answers, estimated before each request.
_ARTICLE_TOKENS: ContextVar[list[int] | None] = ContextVar("article_tokens", default=None)


@contextmanager
def article_deadline(seconds: float, tokens: int | None = None) -> Iterator[None]:
    """Every model request made inside is cut when ``seconds`` from now have passed, and refused
    before it is sent when its estimated tokens would take the article past ``tokens``."""
    token = _ARTICLE_DEADLINE.set(time.monotonic() + seconds)
    budget = _ARTICLE_TOKENS.set([tokens] if tokens is not None else None)
    try:
        yield
    finally:
        _ARTICLE_DEADLINE.reset(token)
        _ARTICLE_TOKENS.reset(budget)


def _spend_tokens(kwargs: dict[str, Any]) -> None:
    left = _ARTICLE_TOKENS.get()
    if left is None:
        return
    text = sum(len(str(m.get("content") or "")) for m in kwargs.get("messages") or [] if isinstance(m, dict))
    estimate = int(text / 3.5) + int(kwargs.get("max_tokens") or 0)
    if estimate > left[0]:
        raise ModelCallError(
            f"this article's token budget is spent (token_budget; a request of about {estimate} tokens, "
            f"{max(0, left[0])} left)"
        )
    left[0] -= estimate


def _request_deadline(total: float) -> float:
    article = _ARTICLE_DEADLINE.get()
    own = time.monotonic() + total
    return own if article is None else min(own, article)


class _BoundedStream(_http.SyncByteStream):
    """A response body cut at a total deadline and a size: a server sending a byte a second, or
    bytes without end, fails the request instead of holding it (httpx's timeout is per read)."""

    def __init__(self, stream: Any, deadline: float, max_bytes: int) -> None:
        self.stream, self.deadline, self.max_bytes = stream, deadline, max_bytes

    def __iter__(self) -> Iterator[bytes]:
        total = 0
        for chunk in self.stream:
            total += len(chunk)
            if total > self.max_bytes:
                raise _http.ReadError(f"the model server's answer is larger than {self.max_bytes} bytes")
            if time.monotonic() > self.deadline:
                raise _http.ReadTimeout("the model server's answer did not finish in time")
            yield chunk

    def close(self) -> None:
        self.stream.close()


@functools.cache
def _certificates() -> Any:
    """The TLS context every client of this process shares: loading the system's certificates costs
    ~30 ms of CPU, paid once rather than by each endpoint of a fleet (or each night of a process)."""
    make = getattr(_http, "create_ssl_context", None)
    return make() if make is not None else True


class _BoundedTransport(_http.HTTPTransport):
    def __init__(self, total: float, max_bytes: int) -> None:
        super().__init__(verify=_certificates())
        self.total, self.max_bytes = total, max_bytes

    def handle_request(self, request: _http.Request) -> _http.Response:
        deadline = _request_deadline(self.total)
        if time.monotonic() >= deadline:
            raise _http.ReadTimeout("no time left for this request", request=request)
        request.headers["Accept-Encoding"] = "identity"  # a compressed answer could not be bounded
        response = super().handle_request(request)
        if response.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity"):
            response.close()
            raise _http.DecodingError("the model server compressed its answer though asked not to", request=request)
        return _http.Response(
            response.status_code,
            headers=response.headers,
            stream=_BoundedStream(response.stream, deadline, self.max_bytes),
            extensions=response.extensions,
            request=request,
        )


def redact(text: str, secrets: Sequence[str | None] = ()) -> str:
    """``text`` with every given secret and anything shaped like a credential replaced by ``[redacted]``."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, REDACTED)
    return _CREDENTIALS.sub(REDACTED, text)


M = TypeVar("M", bound=BaseModel)


@dataclass
class CallRecord:
    """What every completion cost, summed over transport retries and re-asks."""

    completions: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    last_content: str | None = None
    calls: list[dict[str, float]] = field(default_factory=list)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }


@dataclass
class CallResult(Generic[M]):
    """The parsed answer, and ``failure`` when it only parsed without the checks."""

    parsed: M
    record: CallRecord
    failure: str | None = None


@dataclass
class Provider:
    """A named OpenAI-shaped ``create`` function and the instructor mode it needs."""

    name: str
    model: str
    create: Callable[..., Any]
    mode: instructor.Mode
    schema_in_json_object: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # Releases what resolve_provider opened (the HTTP connection pool); a no-op
    # for a caller's own client, which its owner closes.
    close: Callable[[], None] = lambda: None


def resolve_provider(settings: Settings, *, client: Any = None) -> Provider:
    """Build the provider for ``settings.model``.

    ``client`` (an ``openai.OpenAI``) replaces the one built from settings:
    the seam tests and embedding applications use.
    """
    name = settings.provider
    mode = instructor_mode(settings)
    if name == "local" and client is None:
        from summariser.local import get_llama, local_create, resolve_model_path

        path = resolve_model_path(settings.model_name, settings.cache_dir)
        llama = get_llama(path, n_ctx=settings.n_ctx, n_threads=settings.n_threads)
        return Provider("local", path.name, local_create(llama), mode, schema_in_json_object=True)
    if client is None:
        base_url = settings.base_url or _DEFAULT_BASE_URLS.get(name)
        if name == "openai" and not base_url and not settings.api_key:
            raise ConfigError("OPENAI_API_KEY is not set (needed for model " + settings.model + ")")
        if name not in _DEFAULT_BASE_URLS and name != "openai" and not base_url:
            raise ConfigError(
                f"unknown provider '{name}': use local, openai/MODEL, ollama/MODEL, llamacpp/MODEL, "
                "vllm/MODEL, or set --base-url for another OpenAI-compatible server"
            )
        # The SDK's own retries would multiply with ours: tenacity owns them.
        client = openai.OpenAI(
            api_key=settings.api_key or "not-needed",
            base_url=base_url,
            max_retries=0,
            timeout=settings.timeout,
            http_client=_http.Client(
                transport=_BoundedTransport(settings.timeout, MAX_RESPONSE_BYTES), timeout=settings.timeout
            ),
        )
        return Provider(
            name,
            settings.model_name,
            _body_as_is(client.chat.completions.create),
            mode,
            name in _SCHEMA_IN_JSON_OBJECT,
            close=client.close,
        )
    if is_async(client.chat.completions.create):
        raise ConfigError("an async client (openai.AsyncOpenAI) needs asummarise(), not summarise()")
    return Provider(name, settings.model_name, client.chat.completions.create, mode, name in _SCHEMA_IN_JSON_OBJECT)


_AS_SENT = ("messages", "response_format", "tools")


def _body_as_is(create: Callable[..., Any]) -> Callable[..., Any]:
    """``create`` with a request's messages and JSON schemas passed as ``extra_body``, which the SDK
    merges over the body it builds (its keys take precedence): the same request body, without the
    SDK's typed transform walking every message and schema node (~0.7 ms a call, as measured).
    ``messages`` stays as an empty placeholder, since the SDK's signature requires it."""

    @functools.wraps(create)
    def sent(*args: Any, **kwargs: Any) -> Any:
        moved = {key: kwargs.pop(key) for key in _AS_SENT if key in kwargs}
        if moved:
            kwargs["extra_body"] = {**moved, **(kwargs.get("extra_body") or {})}
        return create(*args, messages=[], **kwargs)

    return sent


def instructor_mode(settings: Settings) -> instructor.Mode:
    """How instructor asks for the schema: ``mode``, else tools on OpenAI itself, else json_schema."""
    mode_name = settings.mode or ("tools" if settings.provider == "openai" and not settings.base_url else "json_schema")
    if mode_name not in _MODES:
        raise ConfigError(f"unknown mode '{mode_name}': use tools, json or json_schema")
    return _MODES[mode_name]


def replay_provider(settings: Settings, create: Callable[..., Any]) -> Provider:
    """A provider over ``create`` that sends what a server of ``settings.provider`` would be sent
    (batch mode: the same request body as a synchronous call, so the same answer)."""
    return Provider(
        settings.provider,
        settings.model_name,
        create,
        instructor_mode(settings),
        settings.provider in _SCHEMA_IN_JSON_OBJECT,
    )


def is_async(create: Callable[..., Any]) -> bool:
    """Whether a client's ``create`` is a coroutine function (``openai.AsyncOpenAI``'s is wrapped)."""
    return inspect.iscoroutinefunction(create) or inspect.iscoroutinefunction(inspect.unwrap(create))


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, min(seconds, _MAX_RETRY_AFTER))


def _redact_response(response: Any, secrets: Sequence[str | None]) -> None:
    # Every string a server sends back is model-originated: a server that echoes the key (in an
    # answer, a refusal, a tool call) must not carry it into a brief, an error, a log or the state.
    for choice in getattr(response, "choices", None) or []:
        message = getattr(choice, "message", None)
        for name in ("content", "refusal"):
            value = getattr(message, name, None)
            if isinstance(value, str):
                setattr(message, name, redact(value, secrets))
        for call in getattr(message, "tool_calls", None) or []:
            function = getattr(call, "function", None)
            arguments = getattr(function, "arguments", None)
            if function is not None and isinstance(arguments, str):
                function.arguments = redact(arguments, secrets)


class _PastDeadline(stop_base):
    """Stop retrying when the next attempt would start after the article's deadline."""

    def __init__(self, article: float | None, wait: Callable[[RetryCallState], float]) -> None:
        self.article, self.wait = article, wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.article is not None and time.monotonic() + self.wait(retry_state) >= self.article


class _Transport:
    """The ``create`` instructor calls: adapts the request, retries transport errors, records usage."""

    def __init__(self, provider: Provider, settings: Settings, record: CallRecord) -> None:
        self.provider = provider
        self.settings = settings
        self.record = record
        self._backoff = wait_random_exponential(multiplier=0.5, max=20)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(exc)
        return hinted if hinted is not None else float(self._backoff(state))

    def _adapt(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        fmt = kwargs.get("response_format")
        if self.provider.schema_in_json_object and isinstance(fmt, dict) and fmt.get("type") == "json_schema":
            schema = fmt.get("json_schema", {}).get("schema")
            kwargs = {**kwargs, "response_format": {"type": "json_object", "schema": schema}}
        return kwargs

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs = self._adapt(kwargs)
        article = _ARTICLE_DEADLINE.get()
        retrying = Retrying(
            retry=retry_if_exception_type(TRANSIENT_ERRORS),
            stop=stop_after_attempt(self.settings.transport_retries + 1)
            | stop_after_delay(self.settings.retry_deadline)
            | _PastDeadline(article, self._wait),
            wait=self._wait,
            reraise=True,
        )
        if article is not None and time.monotonic() >= article:
            raise ArticleTimeoutError.after(self.settings.article_timeout)
        _spend_tokens(kwargs)
        try:
            for attempt in retrying:
                with attempt:
                    self.record.requests += 1
                    started = time.perf_counter()
                    response = self.provider.create(*args, **kwargs)
        except TRANSIENT_ERRORS as exc:
            if article is not None and time.monotonic() >= article - 1.0:
                raise ArticleTimeoutError.after(self.settings.article_timeout) from exc
            raise ServerUnavailableError(
                f"model server failed after {self.record.requests} requests: {_describe(exc)}{_at(exc)}",
                n_attempts=self.record.completions,
                usage=self.record.usage(),
            ) from exc
        except openai.AuthenticationError as exc:
            raise ConfigError(f"the provider rejected the API key (HTTP {exc.status_code})") from exc
        except openai.NotFoundError as exc:
            raise ConfigError(f"model '{self.provider.model}' not found at the provider (HTTP 404)") from exc
        except openai.APIStatusError as exc:
            raise ModelCallError(f"model server refused the request: {_describe(exc)}") from exc
        _redact_response(response, (self.settings.api_key,))
        self._account(response, time.perf_counter() - started)
        return response

    def _account(self, response: Any, seconds: float) -> None:
        self.record.completions += 1
        usage = getattr(response, "usage", None)
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0) if usage is not None else 0
        output = int(getattr(usage, "completion_tokens", 0) or 0) if usage is not None else 0
        self.record.prompt_tokens += prompt
        self.record.completion_tokens += output
        self.record.calls.append({"seconds": seconds, "prompt_tokens": prompt, "completion_tokens": output})
        choices = getattr(response, "choices", None) or []
        if not choices:
            raise ModelCallError("model server answered with no choices", n_attempts=self.record.completions)
        message = choices[0].message
        self.record.last_content = _content_of(message)
        refusal = getattr(message, "refusal", None)
        if refusal:
            raise ModelRefusalError(
                f"the model refused: {' '.join(str(refusal).split())[:200]}",
                n_attempts=self.record.completions,
                usage=self.record.usage(),
            )


def transport(provider: Provider, settings: Settings, record: CallRecord) -> Callable[..., Any]:
    """The provider's ``create``, with transport retries and usage counted in ``record``."""
    return _Transport(provider, settings, record)


def _content_of(message: Any) -> str | None:
    tool_calls = getattr(message, "tool_calls", None)
    if tool_calls:
        return str(tool_calls[0].function.arguments)
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def _at(exc: BaseException) -> str:
    """ " at URL" for an error the SDK raised about a request: the server's address, no credentials or query."""
    try:
        url = exc.request.url  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return ""
    port = f":{url.port}" if url.port else ""
    return f" at {url.scheme}://{url.host}{port}{url.path}"


def _describe(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    kind = {
        openai.RateLimitError: "rate limited (HTTP 429)",
        openai.APITimeoutError: "request timed out",
        openai.APIConnectionError: "connection failed",
    }
    for cls, text in kind.items():
        if isinstance(exc, cls):
            return text
    return f"HTTP {status}" if status else type(exc).__name__


def _summarise_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


# Kept as JSON text: a fresh copy for each caller is one json.loads, ~3x faster than a deepcopy (48 against 134 µs).
_SCHEMAS: weakref.WeakKeyDictionary[type, str] = weakref.WeakKeyDictionary()


class _KeptSchema(instructor.OpenAISchema):
    """instructor's response schema, with its JSON schema made once per class.

    instructor wraps a plain model in a new class on every call and builds its JSON schema
    again: ~2 ms of pydantic work a call, as much as the rest of a brief's own code."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        if cls not in _SCHEMAS:
            _SCHEMAS[cls] = json.dumps(super().model_json_schema())
        schema: dict[str, Any] = json.loads(_SCHEMAS[cls])
        return schema


# The classes of ours instructor has scanned for async validators, and found none.
_SCANNED: weakref.WeakSet[type] = weakref.WeakSet()


def _scan_ours_once(scan: Callable[[Any], None]) -> Callable[[Any], None]:
    """instructor's refusal of async validators, run once for each of our schema classes.

    instructor 1.17 walks the response model (every class's members along its MRO, every
    ``Literal`` value) four times a call: ~20% of a brief's CPU (docs/development.md). A
    ``_KeptSchema`` class is made once and never given validators later, so one pass holds
    for its life; any other model is scanned on every call as before."""
    if getattr(scan, "__wrapped__", None) is not None:
        return scan

    @functools.wraps(scan)
    def scan_once(response_model: Any) -> None:
        if not (isinstance(response_model, type) and issubclass(response_model, _KeptSchema)):
            return scan(response_model)
        if response_model not in _SCANNED:
            scan(response_model)
            _SCANNED.add(response_model)
        return None

    return scan_once


def _install_scan_once() -> None:
    # instructor imports the function into patch.py at import time and into its other
    # modules when each call runs, so both names are replaced; a layout without them is left be.
    from instructor.v2.core import patch
    from instructor.v2.validation import async_validators

    for module in (async_validators, patch):
        if callable(getattr(module, "reject_async_validators", None)):
            module.reject_async_validators = _scan_ours_once(module.reject_async_validators)


_install_scan_once()


def schema_class(model: type[M]) -> type[M]:
    """``model`` as instructor would wrap it (same name, docstring and JSON schema), made once.

    A model built on a ``schema_class`` (as ``items_model(base=...)`` is) is passed on as is."""
    return model if issubclass(model, _KeptSchema) else _wrapped(model)


@functools.lru_cache(maxsize=64)
def _wrapped(model: type[M]) -> type[M]:
    wrapped = create_model(model.__name__, __base__=(model, _KeptSchema))
    return functools.wraps(model, updated=())(wrapped)  # type: ignore[return-value]


def call_model(
    messages: list[dict[str, str]],
    settings: Settings,
    *,
    response_model: type[M],
    check: Callable[[Any], list[str]],
    provider: Provider,
    record: CallRecord | None = None,
    lenient_model: type[M] | None = None,
) -> CallResult[M]:
    """Ask the model for ``response_model`` given the numbered article.

    ``check`` returns grounding problems; any problem triggers a re-ask until
    ``settings.attempts`` completions were made. After that the last
    completion is parsed without the check and returned with ``failure`` set,
    so that validation can drop what fails instead of losing everything.
    ``record`` accumulates usage across several calls. ``lenient_model`` (a
    looser schema, such as ``Items`` for a narrowed items model) parses the
    last completion when the strict one fails, so bad items reach grounding
    and are dropped one by one.
    """
    record = record if record is not None else CallRecord()
    create = instructor.patch(create=_Transport(provider, settings, record), mode=provider.mode)
    truncated = f"model output was cut off at max_tokens={settings.max_tokens}; raise --max-tokens"
    token = GROUNDING_CHECK.set(check)  # read by the response model's validator, for this call only
    try:
        parsed = create(
            model=provider.model,
            messages=messages,
            response_model=schema_class(response_model),
            max_retries=settings.attempts - 1,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            seed=settings.seed,
        )
        return CallResult(parsed=parsed, record=record)
    except IncompleteOutputException as exc:
        raise ModelCallError(truncated, n_attempts=record.completions, usage=record.usage()) from exc
    except InstructorRetryException as exc:
        cause = _own_cause(exc)
        if cause is not None:
            raise cause from exc
        if isinstance(_root(exc), IncompleteOutputException):
            raise ModelCallError(truncated, n_attempts=record.completions, usage=record.usage()) from exc
        failure = _summarise_error(exc)
    finally:
        GROUNDING_CHECK.reset(token)
    parsed = _lenient_parse(record, lenient_model or response_model)
    return CallResult(parsed=parsed, record=record, failure=failure)


def _root(exc: BaseException) -> BaseException:
    seen = exc
    while seen.__cause__ is not None:
        seen = seen.__cause__
    return seen


def _own_cause(exc: BaseException) -> SummariserError | None:
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, SummariserError):
            return current
        current = current.__cause__ or current.__context__
    return None


def _lenient_parse(record: CallRecord, response_model: type[M]) -> M:
    content = record.last_content
    if not content:
        raise BriefValidationError(f"model returned no content after {record.completions} attempts")
    try:
        return response_model.model_validate_json(content)
    except ValidationError:
        pass
    start, end = content.find("{"), content.rfind("}") + 1
    if start < 0 or end <= start:
        raise BriefValidationError(
            f"model output is not a valid brief after {record.completions} attempts: it holds no JSON object "
            f"({' '.join(content.split())[:80]!r})"
        )
    try:
        # Some servers wrap JSON in prose or fences: take the outermost object.
        return response_model.model_validate(json.loads(content[start:end]))
    except (ValueError, ValidationError) as exc:
        first = _summarise_error(exc).split(";")[0]
        raise BriefValidationError(
            f"model output is not a valid brief after {record.completions} attempts: {first[:160]}"
        ) from exc
