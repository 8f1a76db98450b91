"""files: capped text reads and atomic, no-clobber exports that never lose anything."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import adaptwise
from adaptwise.domain.errors import InputError, Problem
from adaptwise.files.output import write_output
from adaptwise.files.textfiles import decode_text, human_size, read_text_file

SRC = str(Path(adaptwise.__file__).resolve().parents[1])


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Each test works in its own empty folder, with a known umask."""
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    yield tmp_path
    os.umask(old)


def problem_of(call, *args, **kwargs) -> Problem:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def leftovers(folder: Path = Path()) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


# -- reading ---------------------------------------------------------------------


def test_human_size():
    assert human_size(1) == "1 byte"
    assert human_size(812) == "812 bytes"
    assert human_size(4608) == "4.5 KiB"
    assert human_size(1 << 20) == "1 MiB"
    assert human_size(int(3.2 * (1 << 20))) == "3.2 MiB"


def test_reads_utf8_text_and_drops_a_bom():
    Path("a.yaml").write_bytes("\ufeffname: é\n".encode())
    assert read_text_file("a.yaml", max_bytes=100, what="answers file") == "name: é\n"


def test_missing_file():
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=10, what="answers file")
    assert str(problem) == "answers.yaml: no such file"


def test_missing_file_suggests_a_close_name():
    Path("flags").mkdir()
    Path("flags/answers.yml").write_text("")
    Path("flags/other.yaml").write_text("")
    problem = problem_of(read_text_file, "flags/answers.yaml", max_bytes=10, what="answers file")
    assert problem.message == "no such file"
    assert problem.hint == f"did you mean '{os.path.join('flags', 'answers.yml')}'?"


def test_directory():
    Path("answers.yaml").mkdir()
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=10, what="answers file")
    assert str(problem) == "answers.yaml: is a directory, not a file"


def test_oversized_file_is_refused_before_reading(monkeypatch):
    with open("answers.yaml", "wb") as handle:
        handle.truncate(int(3.2 * (1 << 20)))  # sparse: costs no disk
    reads = []
    real_open = open

    class Spy:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

    monkeypatch.setattr("builtins.open", lambda *args, **kwargs: Spy(real_open(*args, **kwargs)))
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=1 << 20, what="answers file")
    assert str(problem) == "answers.yaml: is 3.2 MiB; answers files are capped at 1 MiB"
    assert reads == []  # refused on its size alone
    Path("small.yaml").write_text("a: 1\n")
    assert read_text_file("small.yaml", max_bytes=100, what="answers file") == "a: 1\n"
    assert reads == [101]  # at most one byte past the cap


def test_a_pipe_is_refused_before_a_byte_is_read():
    readable, writable = os.pipe()
    os.write(writable, b"x" * 64)
    os.close(writable)
    try:
        problem = problem_of(read_text_file, f"/dev/fd/{readable}", max_bytes=10, what="flags file")
        assert os.read(readable, 100) == b"x" * 64  # nothing was taken from it
    finally:
        os.close(readable)
    assert problem.message == "is a named pipe (FIFO), not a file"


def test_a_fifo_nobody_writes_to_is_refused_at_once():
    os.mkfifo("answers.yaml")  # opening it for reading would wait for a writer forever
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=100, what="answers file")
    assert str(problem) == "answers.yaml: is a named pipe (FIFO), not a file"


@pytest.mark.parametrize(("path", "kind"), [("/dev/null", "a character device"), ("/dev/full", "a character device")])
def test_devices_are_refused(path, kind):
    assert problem_of(read_text_file, path, max_bytes=100, what="answers file").message == f"is {kind}, not a file"


def test_a_file_growing_past_the_cap_is_read_only_up_to_it(monkeypatch):
    Path("answers.yaml").write_text("x" * 64)
    monkeypatch.setattr(os, "fstat", lambda _descriptor: os.stat_result((0o100644, 0, 0, 1, 0, 0, 5, 0, 0, 0)))
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=10, what="flags file")
    assert problem.message == "is over 10 bytes, the cap for flags files"


def test_permission_error_is_one_line(monkeypatch):
    Path("answers.yaml").write_text("a: 1\n")

    def refusing_open(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("builtins.open", refusing_open)
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=100, what="answers file")
    assert str(problem) == "answers.yaml: cannot read this answers file (permission denied)"


def test_binary_file():
    Path("answers.yaml").write_bytes(b"\x89PNG\r\n\x1a\n")
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=100, what="answers file")
    assert str(problem) == (
        "answers.yaml: is not a text file (byte 0x89 at offset 0 is not UTF-8)\n    save it as UTF-8 text"
    )


def test_nul_bytes_and_utf16():
    assert problem_of(decode_text, b"ab\x00c", "x").message == ("is not a text file (it contains NUL bytes)")
    problem = problem_of(decode_text, "a: 1\n".encode("utf-16"), "x")
    assert problem.message == "is not a text file we can read (it is UTF-16)"
    assert problem.hint == "save it as UTF-8"


# -- writing: the ordinary cases -------------------------------------------------


def test_writes_a_new_file_with_ordinary_permissions():
    written = write_output("# Report\n", "report.md")
    assert written == Path("report.md")
    assert Path("report.md").read_text() == "# Report\n"
    assert stat.S_IMODE(os.stat("report.md").st_mode) == 0o644  # 0o666 & ~0o022
    assert leftovers() == []


def test_new_file_mode_follows_the_umask():
    os.umask(0o077)
    write_output("x", "private.md")
    assert stat.S_IMODE(os.stat("private.md").st_mode) == 0o600


def test_text_is_written_as_utf8_bytes_exactly():
    write_output("é\r\n中\n", "report.md")
    assert Path("report.md").read_bytes() == "é\r\n中\n".encode()


def test_existing_file_is_not_replaced_without_force():
    Path("report.md").write_text("precious")
    problem = problem_of(write_output, "new", "report.md")
    assert str(problem) == "report.md: already exists; use --force to replace it"
    assert Path("report.md").read_text() == "precious"
    assert leftovers() == []


def test_force_replaces_and_keeps_the_mode():
    Path("report.md").write_text("old")
    os.chmod("report.md", 0o640)
    assert write_output("new", "report.md", force=True) == Path("report.md")
    assert Path("report.md").read_text() == "new"
    assert stat.S_IMODE(os.stat("report.md").st_mode) == 0o640
    assert leftovers() == []


@pytest.mark.parametrize("force", [False, True])
def test_read_only_file_is_never_replaced(force):
    Path("report.md").write_text("keep me")
    os.chmod("report.md", 0o444)
    problem = problem_of(write_output, "new", "report.md", force=force)
    assert str(problem) == "report.md: is read-only; not replacing it"
    assert Path("report.md").read_text() == "keep me"
    assert leftovers() == []


def test_missing_folder():
    problem = problem_of(write_output, "x", os.path.join("out", "report.md"))
    assert problem.message == f"no such folder: out{os.sep} — create it first"
    assert not Path("out").exists()


def test_folder_that_is_a_file():
    Path("out").write_text("")
    problem = problem_of(write_output, "x", os.path.join("out", "report.md"))
    assert problem.message == "out is not a folder"


@pytest.mark.parametrize("destination", ["out", "out/"])
def test_directory_target(destination):
    Path("out").mkdir()
    problem = problem_of(write_output, "x", destination, force=True)
    assert problem.message == "is a directory, not a file"
    assert problem.hint is not None and problem.hint.startswith("name the file to write")


def test_not_a_regular_file_is_never_replaced():
    os.mkfifo("pipe")
    problem = problem_of(write_output, "x", "pipe", force=True)
    assert problem.message == "exists and is not a regular file; not replacing it"
    assert stat.S_ISFIFO(os.lstat("pipe").st_mode)


def test_empty_destination():
    assert problem_of(write_output, "x", "").message == "no output file named"


def test_folder_without_write_permission_simulated(monkeypatch):
    def refusing_mkstemp(**kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refusing_mkstemp)
    Path("locked").mkdir()
    problem = problem_of(write_output, "x", os.path.join("locked", "report.md"))
    assert problem.message == f"cannot write in folder locked{os.sep} (permission denied)"


# -- writing: symlinks ------------------------------------------------------------


def test_symlink_target_is_written_and_the_link_stays_a_link():
    Path("real").mkdir()
    Path("real/report.md").write_text("old")
    os.chmod("real/report.md", 0o600)
    os.symlink(os.path.join("real", "report.md"), "report.md")
    written = write_output("new", "report.md", force=True)
    assert written == Path("real/report.md").resolve()
    assert os.path.islink("report.md")
    assert Path("real/report.md").read_text() == "new"
    assert stat.S_IMODE(os.stat("real/report.md").st_mode) == 0o600
    assert leftovers() == [] and leftovers(Path("real")) == []


def test_symlink_target_gets_the_same_checks():
    Path("target.md").write_text("keep")
    os.symlink("target.md", "report.md")
    assert problem_of(write_output, "x", "report.md").message == ("already exists; use --force to replace it")
    os.chmod("target.md", 0o444)
    assert problem_of(write_output, "x", "report.md", force=True).message == ("is read-only; not replacing it")
    assert Path("target.md").read_text() == "keep"


def test_dangling_symlink_is_refused():
    os.symlink("nowhere.md", "report.md")
    problem = problem_of(write_output, "x", "report.md", force=True)
    assert problem.message.startswith("is a symbolic link to ")
    assert problem.message.endswith("nowhere.md, which does not exist; not following it")
    assert os.path.islink("report.md") and not Path("nowhere.md").exists()


def test_symlink_to_a_directory_is_refused():
    Path("folder").mkdir()
    os.symlink("folder", "report.md")
    assert problem_of(write_output, "x", "report.md", force=True).message == ("is a directory, not a file")


# -- writing: failures leave nothing behind -----------------------------------------


def test_failed_replace_leaves_the_original_and_no_temp_file(monkeypatch):
    Path("report.md").write_text("original")

    def failing_replace(source, target):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", failing_replace)
    problem = problem_of(write_output, "new text", "report.md", force=True)
    assert problem.message == "cannot write it (Input/output error)"
    assert Path("report.md").read_text() == "original"
    assert leftovers() == []


def test_failed_link_leaves_no_file_and_no_temp_file(monkeypatch):
    def failing_link(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    def failing_replace(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", failing_link)
    monkeypatch.setattr(os, "replace", failing_replace)
    problem = problem_of(write_output, "new text", "report.md")
    assert problem.message == "cannot write it (No space left on device)"
    assert not Path("report.md").exists()
    assert leftovers() == []


def test_failure_while_writing_the_data(monkeypatch):
    Path("report.md").write_text("original")

    def failing_fsync(descriptor):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    problem_of(write_output, "new text", "report.md", force=True)
    assert Path("report.md").read_text() == "original"
    assert leftovers() == []


def test_interrupt_mid_write_cleans_up_and_propagates(monkeypatch):
    Path("report.md").write_text("original")

    def interrupted_fsync(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_output("new text", "report.md", force=True)
    assert Path("report.md").read_text() == "original"
    assert leftovers() == []


def test_file_appearing_meanwhile_is_not_clobbered(monkeypatch):
    real_link = os.link

    def racing_link(source, target):
        Path(target).write_text("someone else's")
        return real_link(source, target)

    monkeypatch.setattr(os, "link", racing_link)
    problem = problem_of(write_output, "mine", "report.md")
    assert problem.message == "already exists; use --force to replace it"
    assert Path("report.md").read_text() == "someone else's"
    assert leftovers() == []


def test_without_hard_links_it_falls_back_to_rename(monkeypatch):
    def unsupported_link(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", unsupported_link)
    assert write_output("text", "report.md") == Path("report.md")
    assert Path("report.md").read_text() == "text"
    assert stat.S_IMODE(os.stat("report.md").st_mode) == 0o644
    assert leftovers() == []


def test_temp_file_is_beside_the_target_and_hidden(monkeypatch):
    Path("out").mkdir()
    seen = []
    real_link = os.link

    def watching_link(source, target):
        seen.append(source)
        return real_link(source, target)

    monkeypatch.setattr(os, "link", watching_link)
    write_output("x", os.path.join("out", "report.md"))
    folder, name = os.path.split(seen[0])
    assert Path(folder).resolve() == Path("out").resolve()
    assert name.startswith(".report.md.") and name.endswith(".tmp")


# -- the one atomic writer: exports, sessions and the tree cache -------------------

MINIMAL_TREE = Path(__file__).parent / "data" / "trees" / "minimal.yaml"


def write_with(writer: str) -> Path:
    """Write through one of the three users of the atomic writer; the folder it wrote in."""
    if writer == "export":
        write_output("new", "report.md", force=True)
        return Path()
    if writer == "session":
        import yaml

        from adaptwise.files.session import Session, save_session
        from adaptwise.files.validation import parse_tree

        # The tree says which questions take several answers (saved as a list); it is parsed
        # here, not loaded, so that the session is the only file this writes.
        tree, _ = parse_tree(yaml.safe_load(MINIMAL_TREE.read_text(encoding="utf-8")))
        assert tree is not None
        return save_session(Session("a" * 64, {"initiative": "new"}, None), tree).parent
    from adaptwise.files.trees import load_tree

    load_tree(MINIMAL_TREE)
    return Path("cache")


WRITERS = ["export", "session", "cache"]


@pytest.fixture
def state_and_cache(monkeypatch, in_tmp):
    monkeypatch.setenv("ADAPTWISE_STATE_DIR", str(in_tmp / "state"))
    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", str(in_tmp / "cache"))


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_fsyncs_the_file_and_then_its_folder(writer, monkeypatch, state_and_cache):
    synced = []
    real_fsync = os.fsync

    def watching_fsync(descriptor):
        synced.append(stat.S_IFMT(os.fstat(descriptor).st_mode))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", watching_fsync)
    folder = write_with(writer)
    assert synced == [stat.S_IFREG, stat.S_IFDIR]
    assert leftovers(folder) == []


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_leaves_no_temporary_file_when_writing_fails(writer, monkeypatch, state_and_cache):
    def failing_fsync(descriptor):
        raise OSError(errno.EIO, "Input/output error")

    Path("state").mkdir()
    Path("cache").mkdir()
    monkeypatch.setattr(os, "fsync", failing_fsync)
    with contextlib.suppress(OSError, InputError):  # a failed cache write only costs speed
        write_with(writer)
    assert leftovers(Path()) == leftovers(Path("state")) == leftovers(Path("cache")) == []


def test_the_writer_never_clobbers_without_replace(tmp_path):
    from adaptwise.files.output import write_file

    target = tmp_path / "mine.txt"
    target.write_text("original")
    with pytest.raises(FileExistsError):
        write_file(target, b"new")
    assert target.read_text() == "original"
    write_file(target, b"new", replace=True, mode=0o640)
    assert (target.read_text(), stat.S_IMODE(target.stat().st_mode)) == ("new", 0o640)
    assert leftovers(tmp_path) == []


# A child that writes through one writer and is signalled mid-write: while the file is
# fsynced (the parent sends the signal), or just after the temporary file is created (it
# signals itself, before the writer could register the name unless it holds signals back).
_SIGNALLED = """
import os, signal, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from test_files import write_with
writer, moment, number = sys.argv[1], sys.argv[2], getattr(signal, sys.argv[3])
real_mkstemp = tempfile.mkstemp

def mkstemp(**options):
    made = real_mkstemp(**options)
    if moment == "created":
        os.kill(os.getpid(), number)
    return made

def fsync(descriptor):
    print("writing", flush=True)
    time.sleep(30)

tempfile.mkstemp = mkstemp
if moment == "writing":
    os.fsync = fsync
if moment == "ignored":
    signal.signal(number, signal.SIG_IGN)
    os.fsync = lambda descriptor: os.kill(os.getpid(), number)
if moment == "handled":
    def stop(signum, frame):
        raise SystemExit(3)
    signal.signal(number, stop)
    os.fsync = lambda descriptor: os.kill(os.getpid(), number)
before = signal.getsignal(number)
write_with(writer)
print("done", signal.getsignal(number) == before, flush=True)
"""


def signalled_child(tmp_path: Path, writer: str, moment: str, name: str = "SIGTERM") -> subprocess.Popen[str]:
    for folder, name_ in (("state", "session-" + "a" * 32 + ".json"), (".", "report.md")):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name_).write_text("original")
    return subprocess.Popen(
        [sys.executable, "-c", _SIGNALLED, writer, moment, name, str(Path(__file__).parent)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": SRC,
            "ADAPTWISE_STATE_DIR": str(tmp_path / "state"),
            "ADAPTWISE_CACHE_DIR": str(tmp_path / "cache"),
        },
    )


def nothing_half_written(tmp_path: Path) -> None:
    assert (tmp_path / "report.md").read_text() == "original"
    assert (tmp_path / "state" / ("session-" + "a" * 32 + ".json")).read_text() == "original"
    for folder in (tmp_path, tmp_path / "state", tmp_path / "cache"):
        assert (leftovers(folder) if folder.exists() else []) == []


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_mid_write_removes_the_temporary_file_and_keeps_the_target(tmp_path, writer, name):
    import signal

    child = signalled_child(tmp_path, writer, "writing", name)
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    assert leftovers(tmp_path / ("cache" if writer == "cache" else "state" if writer == "session" else ".")), (
        "the temporary file exists while the child writes"
    )
    child.send_signal(getattr(signal, name))
    assert child.wait(timeout=10) == -getattr(signal, name)  # it still dies of the signal
    nothing_half_written(tmp_path)


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("writer", WRITERS)
def test_a_signal_as_the_temporary_file_is_created_leaves_nothing(tmp_path, writer):
    import signal

    child = signalled_child(tmp_path, writer, "created")
    assert child.wait(timeout=30) == -signal.SIGTERM
    nothing_half_written(tmp_path)


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX signals")
def test_a_handler_of_the_callers_own_still_runs_and_is_restored(tmp_path):
    child = signalled_child(tmp_path, "export", "handled")
    assert child.wait(timeout=10) == 3  # its handler raised SystemExit(3) during the write
    nothing_half_written(tmp_path)
    child = signalled_child(tmp_path, "export", "ignored")
    out, _ = child.communicate(timeout=10)
    assert (child.returncode, out) == (0, "done True\n")  # ignored, written, still ignored
    assert (tmp_path / "report.md").read_text() == "new"


# -- the validated-tree cache -------------------------------------------------------


@pytest.fixture
def cache(monkeypatch, in_tmp: Path) -> Path:
    folder = in_tmp / "cache"
    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", str(folder))
    return folder


def minimal_cache_file() -> Path:
    import hashlib

    from adaptwise.files.treecache import cache_file

    file = cache_file(hashlib.sha256(MINIMAL_TREE.read_bytes()).hexdigest())
    assert file is not None, "caching is off"
    return Path(file)


def headline_of_minimal_tree() -> str:
    from adaptwise.files.trees import load_tree

    return load_tree(MINIMAL_TREE).tree.outcome_by_id["prompting"].headline


def tamper(file: Path) -> None:
    """Change the cached tree the way an attacker would: valid data, another meaning."""
    text = file.read_text(encoding="utf-8")
    assert "Prompt a base model." in text
    file.write_text(text.replace("Prompt a base model.", "TAMPERED"), encoding="utf-8")


class Exploit:
    """Unpickling this creates the folder `pwned`: proof that loading ran code."""

    def __reduce__(self):
        return (os.mkdir, (os.path.abspath("pwned"),))


def test_a_malicious_pickle_where_the_cache_file_would_be_is_never_run(cache):
    import hashlib
    import pickle

    file = minimal_cache_file()
    file.parent.mkdir(mode=0o700)
    # Also where the pickling cache of old looked: the tree's sha256 and model.py's.
    sha256 = hashlib.sha256(MINIMAL_TREE.read_bytes()).hexdigest()
    model = Path(adaptwise.__file__).parent / "domain" / "model.py"
    code = hashlib.sha256(model.read_bytes() + adaptwise.__version__.encode()).hexdigest()[:16]
    for planted in (file, file.with_suffix(".pickle"), cache / f"tree-{sha256[:32]}-{code}.pickle"):
        planted.write_bytes(pickle.dumps(Exploit()))
        planted.chmod(0o600)
    assert headline_of_minimal_tree() == "Prompt a base model."
    assert not Path("pwned").exists()
    assert "Prompt a base model." in file.read_text(encoding="utf-8")  # replaced by a sound entry


@pytest.mark.parametrize(
    "named",
    [
        "os:system",
        "builtins:eval",
        "adaptwise.domain.model:APPROACH_LABELS",
        "adaptwise.files.output:write_file",
        "subprocess:run",
    ],
)
def test_a_cache_file_can_build_nothing_but_the_domains_dataclasses(cache, named):
    import json

    file = minimal_cache_file()
    file.parent.mkdir(mode=0o700)
    file.write_text(json.dumps({"c": named, "f": ["mkdir pwned"]}), encoding="utf-8")
    file.chmod(0o600)
    assert headline_of_minimal_tree() == "Prompt a base model."
    assert not Path("pwned").exists()


def test_a_cached_tree_is_the_validated_tree(cache):
    import dataclasses

    from adaptwise.files.trees import load_tree

    cold = load_tree().tree
    assert any(cache.iterdir())
    warm = load_tree().tree
    assert warm is not cold
    for field in dataclasses.fields(cold):
        assert getattr(warm, field.name) == getattr(cold, field.name), field.name


def test_the_cache_is_private(cache):
    headline_of_minimal_tree()
    file = minimal_cache_file()
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_a_cache_file_others_may_write_is_ignored(cache):
    headline_of_minimal_tree()
    file = minimal_cache_file()
    tamper(file)
    assert headline_of_minimal_tree() == "TAMPERED"  # the control: a file of ours is used
    for mode in (0o666, 0o620, 0o602):
        file.chmod(mode)
        assert headline_of_minimal_tree() == "Prompt a base model.", oct(mode)
        tamper(file)  # validating again replaced it with a sound, private entry
        assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_a_cache_folder_others_may_write_is_neither_read_nor_written(cache):
    headline_of_minimal_tree()
    file = minimal_cache_file()
    tamper(file)
    cache.chmod(0o777)
    assert headline_of_minimal_tree() == "Prompt a base model."
    assert "TAMPERED" in file.read_text(encoding="utf-8")  # not written there either
    cache.chmod(0o700)
    assert headline_of_minimal_tree() == "TAMPERED"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_cache_file_or_folder_someone_else_owns_is_ignored(cache):
    headline_of_minimal_tree()
    file = minimal_cache_file()
    tamper(file)
    os.chown(file, 4321, -1)
    assert headline_of_minimal_tree() == "Prompt a base model."
    os.chown(file, os.getuid(), -1)
    tamper(file)
    os.chown(cache, 4321, -1)
    assert headline_of_minimal_tree() == "Prompt a base model."


def test_a_symlinked_cache_file_is_ignored(cache, tmp_path):
    headline_of_minimal_tree()
    file = minimal_cache_file()
    tamper(file)
    elsewhere = tmp_path / "elsewhere.json"
    file.rename(elsewhere)
    file.symlink_to(elsewhere)
    assert headline_of_minimal_tree() == "Prompt a base model."


def test_caching_off_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert headline_of_minimal_tree() == "Prompt a base model."
    assert not (tmp_path / "xdg").exists()


#: Prints the source file of every adaptwise module that checking a tree loads.
_VALIDATING_MODULES = """
import os, sys
os.environ["ADAPTWISE_CACHE_DIR"] = ""
from adaptwise.files.trees import check_tree_file, load_tree
load_tree(sys.argv[1])
check_tree_file(sys.argv[1])
for name, module in sorted(sys.modules.items()):
    if name.startswith("adaptwise") and getattr(module, "__file__", None):
        print(module.__file__)
"""


def test_the_cache_key_covers_every_module_that_validates_a_tree(tmp_path):
    """Editing any module that loading and checking a tree runs gives a new key."""
    import shutil

    from adaptwise.files.treecache import code_fingerprint

    package = Path(adaptwise.__file__).parent
    result = subprocess.run(
        [sys.executable, "-c", _VALIDATING_MODULES, str(Path(__file__).parent.parent / "decision_tree.yaml")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=60,
    )
    modules = [Path(line).relative_to(package) for line in result.stdout.split()]
    assert Path("domain", "treecheck.py") in modules and Path("files", "validation.py") in modules
    copy = tmp_path / "adaptwise"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(copy)
    assert before is not None and before == code_fingerprint(package)
    for module in modules:
        with (copy / module).open("a", encoding="utf-8") as source:
            source.write("\n# edited\n")
        after = code_fingerprint(copy)
        assert after != before, f"editing {module} keeps the old cache entries"
        before = after


def test_the_cache_key_covers_the_domains_subpackages_and_new_modules(tmp_path):
    """A module the tree's loading does not import yet (the report, a module just split
    off) still belongs to the code that may come to validate a tree."""
    import shutil

    from adaptwise.files.treecache import code_fingerprint

    copy = tmp_path / "adaptwise"
    shutil.copytree(Path(adaptwise.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(copy)
    for module in (Path("domain", "report", "markdown.py"), Path("domain", "questions.py")):
        with (copy / module).open("a", encoding="utf-8") as source:
            source.write("\n# edited\n")
        after = code_fingerprint(copy)
        assert after != before, f"editing {module} keeps the old cache entries"
        before = after
    (copy / "domain" / "report" / "added.py").write_text("", encoding="utf-8")
    assert code_fingerprint(copy) != before


@pytest.mark.parametrize(
    ("module", "edit"),
    [
        ("domain/treecheck.py", "def check_tree(tree):\n    return [Finding(('start',), 'edited check')]\n"),
        ("files/validation.py", "def parse_tree(data):\n    return None, [Finding((), 'edited check')]\n"),
        (
            "files/yamlsafe.py",
            "def load_yaml(text, source, **options):\n    raise InputError(Problem('edited check', file=source))\n",
        ),
    ],
)
def test_an_edit_to_the_validating_code_takes_effect_with_a_warm_cache(tmp_path, module, edit):
    import shutil

    package = Path(adaptwise.__file__).parent
    shutil.copytree(package, tmp_path / "src" / "adaptwise", ignore=shutil.ignore_patterns("__pycache__"))
    code = (
        "import sys\nfrom adaptwise.domain.errors import InputError\nfrom adaptwise.files.trees import load_tree\n"
        "try:\n    load_tree(sys.argv[1])\nexcept InputError as error:\n    print(error.render())\n"
        "else:\n    print('loaded')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "ADAPTWISE_CACHE_DIR": str(tmp_path / "cache")}

    def load() -> str:
        return subprocess.run(
            [sys.executable, "-c", code, str(MINIMAL_TREE)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        ).stdout

    assert load() == "loaded\n"
    assert any((tmp_path / "cache").iterdir())
    with (tmp_path / "src" / "adaptwise" / module).open("a", encoding="utf-8") as source:
        source.write("\n\n" + edit)
    assert "edited check" in load()


# -- writing to stdout -----------------------------------------------------------


def test_dash_writes_to_stdout(capfdbinary):
    assert write_output("héllo\n", "-") is None
    assert capfdbinary.readouterr().out == "héllo\n".encode()


_TO_CLOSED_PIPE = """
import sys
from adaptwise.files.output import write_output
result = write_output("line\\n" * 200_000, "-")
print("after: more output that nobody reads")
print("finished", result, file=sys.stderr)
"""


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "python -u"])
def test_closed_pipe_ends_quietly(unbuffered):
    child = subprocess.Popen(
        [sys.executable, "-c", _TO_CLOSED_PIPE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": SRC, "PYTHONUNBUFFERED": unbuffered},
    )
    assert child.stdout is not None and child.stderr is not None
    # Like `| head -c1`: the child is still writing its 1 MB when the pipe closes.
    assert child.stdout.read(1) == b"l"
    child.stdout.close()
    stderr = child.stderr.read().decode()
    child.stderr.close()
    assert (child.wait(timeout=10), stderr) == (0, "finished None\n")


def test_closed_stdout_is_an_input_error(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    assert problem_of(write_output, "x", "-").message.startswith("standard output is closed")


def test_a_warm_load_and_a_write_to_stdout_leave_pathlib_for_later(tmp_path):
    # pathlib costs 3 ms of a scripted run's start-up; only writing files needs it.
    code = (
        "import sys\nfrom adaptwise.files.trees import load_tree\nfrom adaptwise.files.output import write_output\n"
        "load_tree()\nwrite_output('', '-')\nprint('pathlib' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "ADAPTWISE_CACHE_DIR": str(tmp_path)}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert cold.stdout.strip() == "True"  # validating and filling the cache may use it
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert warm.stdout.strip() == "False"


def test_importing_files_leaves_tempfile_for_later():
    # tempfile is only needed when a file is actually written (start-up time).
    finished = subprocess.run(
        [sys.executable, "-c", "import sys, adaptwise.files.output; print('tempfile' in sys.modules)"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=10,
    )
    assert finished.stdout.strip() == "False"


# -- the one conversion of OSError, the one output filter ------------------------


def test_an_oserror_is_one_problem_naming_the_path_and_the_cause():
    from adaptwise.domain.errors import os_problem

    error = OSError(errno.ENOSPC, "No space left on device", "out/report.md")
    assert str(os_problem(error, doing="write it")) == "out/report.md: cannot write it (No space left on device)"
    assert str(os_problem(PermissionError(errno.EACCES, "Permission denied"), "x", "read it")) == (
        "x: cannot read it (permission denied)"
    )
    assert str(os_problem(OSError(errno.EIO, "Input/output error"))) == "cannot use it (Input/output error)"


@pytest.mark.parametrize(
    ("destination", "cause"),
    [
        ("n" * 300, "cannot write it (File name too long)"),
        ("loop", "cannot follow this symbolic link (Too many levels of symbolic links)"),
        ("loop/report.md", "cannot write it (Too many levels of symbolic links)"),
        ("file.txt/report.md", "file.txt is not a folder"),
    ],
)
def test_destinations_that_cannot_be_written_are_one_line(destination, cause):
    os.symlink("loop", "loop")
    Path("file.txt").write_text("")
    assert problem_of(write_output, "x", destination, force=True).message == cause


def test_every_export_is_escaped_except_crlf_and_verbatim_text():
    write_output("a\x1b[31mb\u202ec\r\nd\re\n", "report.md")
    assert Path("report.md").read_bytes() == b"a\\u001b[31mb\\u202ec\r\nd\\u000de\n"
    write_output("zero\u200dwidth joiner\n", "README.md", verbatim=True)
    assert Path("README.md").read_text() == "zero\u200dwidth joiner\n"


def test_a_full_stdout_is_an_input_error(monkeypatch):
    full = open("/dev/full", "w")  # noqa: SIM115  # stdout for the rest of the test
    monkeypatch.setattr(sys, "stdout", full)
    try:
        assert problem_of(write_output, "x" * 100_000, "-").message == "cannot write (No space left on device)"
    finally:
        with contextlib.suppress(OSError):
            full.close()


def test_a_dangling_symlink_is_named_and_never_offered_as_its_own_correction():
    os.symlink("nowhere.yaml", "answers.yaml")
    problem = problem_of(read_text_file, "answers.yaml", max_bytes=100, what="answers file")
    assert problem.message.startswith("is a symbolic link to ") and problem.message.endswith("which does not exist")
    assert problem.hint is None


def test_utf32_is_called_utf32():
    for encoding in ("utf-32", "utf-32-be"):
        data = "a: 1\n".encode(encoding)
        if encoding == "utf-32-be":
            data = b"\x00\x00\xfe\xff" + data
        assert problem_of(decode_text, data, "x").message == "is not a text file we can read (it is UTF-32)"
