import os
import tempfile
import time

import pytest

from core import sandbox


@pytest.fixture
def scratch_root(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _leave_a_file_then(action):
    def work(send):
        with open(os.path.join(tempfile.gettempdir(), "left-behind"), "w") as file:
            file.write("x")
        action(send)

    return work


def test_the_child_writes_its_temporary_files_in_a_folder_removed_after_a_normal_end(scratch_root):
    with sandbox.forked(_leave_a_file_then(lambda send: send(b"done"))) as child:
        assert child.receive(5) == b"done"
    assert list(scratch_root.iterdir()) == []


def test_a_child_out_of_time_is_killed_and_its_folder_removed(scratch_root):
    with sandbox.forked(_leave_a_file_then(lambda send: time.sleep(30))) as child:
        started = time.monotonic()
        assert child.receive(0.3) is None
    assert time.monotonic() - started < 5
    assert list(scratch_root.iterdir()) == []


def test_a_child_that_crashes_is_reported_and_its_folder_removed(scratch_root):
    work = _leave_a_file_then(lambda send: os._exit(3))
    with sandbox.forked(work) as child, pytest.raises(sandbox.ChildEnded):
        child.receive(5)
    assert list(scratch_root.iterdir()) == []


def test_a_child_writing_more_memory_than_allowed_is_stopped(scratch_root):
    def hog(send):
        blocks = []
        for _ in range(200):
            blocks.append(bytearray(8 * 1024 * 1024))
            time.sleep(0.01)
        send(b"done")

    stopped = (sandbox.OverMemory, sandbox.ChildEnded)
    with sandbox.forked(hog, memory_bytes=64 * 1024 * 1024) as child, pytest.raises(stopped):
        child.receive(10)
    assert list(scratch_root.iterdir()) == []


def test_one_child_sends_a_whole_batch(scratch_root):
    def batch(send):
        for number in range(3):
            send(str(number).encode())

    with sandbox.forked(batch) as child:
        assert [child.receive(5) for _ in range(3)] == [b"0", b"1", b"2"]
