"""The one way the site runs risky work: in a forked child, within time and memory limits.

Both the Markdown render (super-linear inputs) and the PDF render (deep or huge
documents) run here. The child gets a private temporary folder (TMPDIR and
tempfile.tempdir point at it), which the parent removes however the child ends:
normally, killed at the time limit, over memory or crashed. With *memory_bytes*
the child may add at most that much address space (a hard RLIMIT_AS) and the
parent also watches the memory it writes, so a child that grows inside pages it
inherited is stopped too.

The child sends its results as byte strings; the parent waits for each with
Child.receive(timeout), which returns None when the time runs out.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

WATCH_EVERY = 0.05  # seconds between looks at the child's memory
# The prefixes of the scratch folders forked() makes (callers name theirs), for the sweep.
SCRATCH_PREFIXES = ("sandbox-", "pdf-render-", "markdown-render-")
# No render lasts this long (a PDF at most 20 s, a batch of them 45 s): older scratch is stale.
STALE_AFTER = 3600.0

Send = Callable[[bytes], None]


class ChildEnded(Exception):
    """The child ended (a crash, a signal) without sending what was waited for."""


class OverMemory(Exception):
    """The child wrote more memory than it was allowed."""


class Child:
    def __init__(
        self, process: BaseProcess, receiver: Connection, memory_bytes: int | None
    ) -> None:
        self._process = process
        self._receiver = receiver
        self._memory_bytes = memory_bytes

    def receive(self, timeout: float) -> bytes | None:
        """The child's next message, or None when *timeout* seconds pass first."""
        deadline = time.monotonic() + max(timeout, 0)
        step = WATCH_EVERY if self._memory_bytes else max(timeout, 0)
        try:
            while not self._receiver.poll(min(step, max(deadline - time.monotonic(), 0))):
                if time.monotonic() >= deadline:
                    return None
                pid = self._process.pid  # set: the child was started before this object
                if (
                    self._memory_bytes
                    and pid is not None
                    and _written_bytes(pid) > self._memory_bytes
                ):
                    raise OverMemory
            return self._receiver.recv_bytes()
        except EOFError:
            raise ChildEnded from None


@contextmanager
def forked(
    work: Callable[[Send], None], *, memory_bytes: int | None = None, prefix: str = "sandbox-"
) -> Iterator[Child]:
    """Run work(send) in a forked child; yield the parent's end. Leaving kills and cleans up."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    scratch = tempfile.mkdtemp(prefix=prefix)  # mode 0700, this child's alone
    process = context.Process(
        target=_run, args=(work, sender, receiver, scratch, memory_bytes), daemon=True
    )
    try:
        process.start()
        sender.close()
        yield Child(process, receiver, memory_bytes)
    finally:
        sender.close()  # already closed unless the fork itself failed
        receiver.close()
        if process.is_alive():
            process.kill()
        if process.pid is not None:
            process.join(5)
        shutil.rmtree(scratch, ignore_errors=True)


def sweep_stale_scratch(*, older_than: float = STALE_AFTER) -> int:
    """Remove scratch folders untouched for *older_than* seconds; return how many went.

    forked() removes its folder however the child ends, but not when the worker
    itself is killed mid-render (SIGKILL, the out-of-memory killer, a container
    stop): then the folder stays, with WeasyPrint's unpacked fonts (~150 KB,
    measured). Only this user's folders with a sandbox prefix are touched.
    """
    root = Path(tempfile.gettempdir())
    cutoff = time.time() - older_than
    removed = 0
    for path in root.iterdir():
        if not path.name.startswith(SCRATCH_PREFIXES):
            continue
        try:
            stat = path.lstat()
        except OSError:  # removed meanwhile
            continue
        if not path.is_dir() or path.is_symlink() or stat.st_uid != os.getuid():
            continue
        if stat.st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _run(
    work: Callable[[Send], None],
    sender: Connection,
    receiver: Connection,
    scratch: str,
    memory_bytes: int | None,
) -> None:
    # The fork copied the parent's end of the pipe too. Held here, it kept the pipe
    # readable after the parent was killed, so a child writing its result (more than
    # the pipe holds) waited forever instead of failing: an orphan of 130 MB for each
    # worker killed mid-render (measured). Closed, the write fails and the child ends.
    receiver.close()
    # Leave what the child inherited out of garbage collection: scanning it would
    # touch (and so copy) pages shared with the parent, for nothing to collect.
    gc.freeze()
    # Libraries write temporary files (WeasyPrint unpacks @font-face fonts into
    # tempfile.mkdtemp(prefix="weasyprint-") and removes that folder only when its
    # font configuration is collected, which never happens in a child that is
    # killed: one folder, ~140 KB, left per render, measured). tempfile caches its
    # directory in tempfile.tempdir (TMPDIR is read once), so set both; the parent
    # removes *scratch*.
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    try:
        if memory_bytes:
            # A hard stop on new address space. What the child inherited is not
            # counted: a parent with many threads has reserved a malloc arena for each
            # (64 MB of address space apiece), which would otherwise eat the allowance.
            # Memory written inside that inherited space is watched by Child.receive().
            limit = _address_space() + memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        work(sender.send_bytes)
    finally:
        sender.close()


def _address_space() -> int:
    """Bytes of address space this process has mapped (most of it shared or only reserved)."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return pages * resource.getpagesize()


def _written_bytes(pid: int) -> int:
    """Memory process *pid* has written to itself: what it added, not what it shares."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # it has just exited
        return 0
    kilobytes = sum(
        int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Private_Dirty:")
    )
    return kilobytes * 1024
