from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable


def run_in_own_loop(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run an async scenario in an event loop of its own thread (the browser tests keep
    one running in the main thread) and raise what it raised."""
    failures: list[BaseException] = []

    def in_thread() -> None:
        try:
            asyncio.run(scenario())  # type: ignore[arg-type]
        except BaseException as failure:  # handed to the test below
            failures.append(failure)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the scenario did not finish"
    if failures:
        raise failures[0]
