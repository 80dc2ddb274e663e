"""Threads in tests end, or the test fails with a clear message: a thread that waits for a database
connection that never comes must not hold the suite until CI's limit."""

import threading
import time

# Long enough for a request on a busy CI machine, short of pytest.ini's per-test timeout.
JOIN_TIMEOUT = 60.0


def run_and_join(threads: list[threading.Thread], timeout: float = JOIN_TIMEOUT) -> None:
    """Start the threads, wait at most `timeout` seconds for all of them together, and fail the
    test if any is still running (its name says which)."""
    for thread in threads:
        thread.daemon = True  # a stuck one must not keep the test process alive either
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {timeout:.0f} s: {', '.join(stuck)}"
