"""A fleet of OpenAI-compatible model servers for the nightly job.

Every call of one article goes to one replica, so the replica's prompt cache holds the article's
prefix for all of them. Which replica is decided by rendezvous hashing on the article's key: each
replica scores ``hash(replica, key)`` and the highest one that is up wins (the article waits for a
slot there), so an article goes back to the same replica night after night, and taking a replica
out moves only that replica's articles. Over a night of thousands of articles the hash spreads
them within a few per cent of evenly.

A replica that fails (connection refused, timeouts, 5xx through every transport retry) is taken
out by its circuit breaker after ``threshold`` failures in a row, and tried again by one article
after ``cooldown`` seconds (doubling, up to ``max_cooldown``, while it keeps failing). The article
that met the failure goes on at the next replica in its order, at the cost of one cache miss.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from summariser.errors import ServerUnavailableError, SummariserError
from summariser.load import Article
from summariser.schemas import Brief

__all__ = ["Breaker", "Endpoint", "Fleet", "Replica", "rendezvous_order"]


@dataclass(frozen=True)
class Endpoint:
    """One model server of the fleet: its base URL, how many briefs it takes at once, and the
    environment variable that holds its key (None: the night's own key)."""

    base_url: str
    concurrency: int = 4
    api_key_env: str | None = None


def rendezvous_order(key: str, urls: Sequence[str]) -> list[int]:
    """The indices of ``urls`` in the order an article keyed ``key`` tries them: highest random
    weight first (BLAKE2 of the URL and the key), the same on every machine and every night."""

    def weight(index: int) -> int:
        digest = hashlib.blake2b(f"{urls[index]}\0{key}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big")

    return sorted(range(len(urls)), key=weight, reverse=True)


@dataclass
class Breaker:
    """A replica's circuit breaker: closed, open after ``threshold`` failures in a row, half-open
    (one trial article) once ``cooldown`` has passed; a success closes it, a failed trial opens it
    again for twice as long."""

    threshold: int = 3
    cooldown: float = 30.0
    max_cooldown: float = 600.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    trial: bool = False  # a half-open trial is in flight
    wait: float = field(init=False)
    opened: int = 0  # how many times it opened this night

    def __post_init__(self) -> None:
        self.wait = self.cooldown

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def allows(self) -> bool:
        """Whether an article may go to the replica now (a half-open replica takes one)."""
        if self.opened_at is None:
            return True
        return not self.trial and self.clock() - self.opened_at >= self.wait

    def reopens_in(self) -> float:
        """Seconds until the open replica takes a trial article (0 when it is closed)."""
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.opened_at + self.wait - self.clock())

    def start(self) -> None:
        if self.opened_at is not None:
            self.trial = True

    def succeeded(self) -> None:
        self.failures, self.opened_at, self.trial, self.wait = 0, None, False, self.cooldown

    def failed(self) -> None:
        self.failures += 1
        if self.trial:
            self.trial, self.wait = False, min(self.wait * 2, self.max_cooldown)
            self.opened_at = self.clock()
        elif self.opened_at is None and self.failures >= self.threshold:
            self.opened_at = self.clock()
            self.opened += 1


class Runner(Protocol):
    async def brief(self, article: Article) -> Brief: ...

    def close(self, *, wait: bool = True) -> None: ...


@dataclass
class Replica:
    endpoint: Endpoint
    runner: Runner
    breaker: Breaker
    in_flight: int = 0
    briefs: int = 0
    failures: int = 0


class Fleet:
    """Briefs articles on several replicas: each on its own by rendezvous order, around sick ones."""

    def __init__(self, replicas: Sequence[Replica], settings: Any) -> None:
        self.replicas = list(replicas)
        self.settings = settings  # the night's settings, for what is recorded about a brief
        self.urls = [r.endpoint.base_url for r in self.replicas]
        self.changed = asyncio.Condition()

    @property
    def slots(self) -> int:
        """How many articles the night keeps in hand: enough queued at each replica that none
        idles while its articles are routed to it alone (8 per request slot)."""
        return 8 * sum(r.endpoint.concurrency for r in self.replicas)

    def stored_article(self, key: str) -> Article | None:
        return None

    def all_out(self) -> bool:
        """Whether no replica takes an article now (every breaker open, none due a trial): the
        night's other articles wait for the next night."""
        return not any(r.breaker.allows() for r in self.replicas)

    async def brief(self, article: Article, key: str) -> Brief:
        order = [self.replicas[i] for i in rendezvous_order(key, self.urls)]
        error: ServerUnavailableError | None = None
        while order:
            replica = await self._take(order)
            if replica is None:
                break
            try:
                brief = await replica.runner.brief(article)
            except ServerUnavailableError as exc:
                replica.breaker.failed()
                replica.failures += 1
                order.remove(replica)
                error = exc
                continue
            except SummariserError:
                replica.breaker.succeeded()  # it answered: the article's own failure
                raise
            finally:
                await self._release(replica)
            replica.breaker.succeeded()
            replica.briefs += 1
            return brief
        raise error or ServerUnavailableError("every model server of the fleet is out (circuit open)")

    async def _take(self, order: list[Replica]) -> Replica | None:
        """The first replica of ``order`` its breaker lets take an article, once it has a free slot
        (an article waits for its own replica rather than miss its cache elsewhere); None when
        every replica left in ``order`` is out."""
        async with self.changed:
            while True:
                chosen = next((r for r in order if r.breaker.allows()), None)
                if chosen is None:
                    return None
                if chosen.in_flight < chosen.endpoint.concurrency:
                    chosen.in_flight += 1
                    chosen.breaker.start()
                    return chosen
                await self.changed.wait()

    async def _release(self, replica: Replica) -> None:
        async with self.changed:
            replica.in_flight -= 1
            self.changed.notify_all()

    def report(self) -> list[dict[str, Any]]:
        """Per replica: its URL, briefs, failures and how often its breaker opened this night."""
        return [
            {
                "base_url": r.endpoint.base_url,
                "briefs": r.briefs,
                "failures": r.failures,
                "opened": r.breaker.opened,
                "out": r.breaker.is_open,
            }
            for r in self.replicas
        ]

    def close(self, *, wait: bool = True) -> None:
        for replica in self.replicas:
            replica.runner.close(wait=wait)
