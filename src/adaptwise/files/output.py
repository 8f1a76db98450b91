"""Writing files: `write_file`, the one atomic writer (exports, sessions, the tree cache),
and `write_output`, exports on top of it: never clobbering without `force`, never touching
a read-only file, so an interrupted or refused export leaves what was there before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys

from adaptwise.domain.errors import InputError, Problem, os_problem
from adaptwise.domain.text import escape_for_output

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


def write_output(text: str, destination: str, *, force: bool = False, verbatim: bool = False) -> Path | None:
    """Write an export to `destination`, or to stdout when it is "-"; return the path written.

    Every character that could fool a terminal or a reader is escaped first (`escape_for_output`),
    whatever it came from; only `verbatim` text (a person's own file, rewritten in place) is
    written as it is.

    Atomic: the text goes to a temporary file in the target's folder, is fsynced, and only
    then takes the target's name, so readers see the old file or the new one, never half.
    Without `force` an existing file is never replaced; a read-only one never is. A
    symlink is followed on purpose: its final target is rewritten and the link stays.
    Every OSError becomes an InputError naming the destination and the cause.

    Writing to a closed pipe (`... | head -1`) is not an error: the output was simply not
    wanted any more. It returns None as for any stdout write, so the CLI exits 0 (not 141
    as a shell would report for SIGPIPE), which keeps `set -o pipefail` scripts working.
    """
    if not verbatim:
        text = escape_for_output(text)
    if destination == "-":
        _write_stdout(text)
        return None
    if not destination:
        raise InputError(Problem("no output file named", hint="give a file name, or - for stdout"))
    target = _resolve_destination(destination)
    mode = _check_target(target, destination, force)
    _write_atomically(text.encode("utf-8"), target, destination, mode, force)
    return target


def _write_stdout(text: str) -> None:
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`)
        raise InputError(Problem("standard output is closed; name an output file instead of -"))
    try:
        stream.flush()
        binary = getattr(stream, "buffer", None)
        # Bytes, so an export is UTF-8 whatever the terminal's locale says.
        if binary is not None:
            # Under `python -u` this is a raw FileIO, whose write may be partial.
            pending = memoryview(text.encode("utf-8"))
            while pending:
                pending = pending[binary.write(pending) or 0 :]
            binary.flush()
        else:
            stream.write(text)
            stream.flush()
    except BrokenPipeError:
        # The reader went away: nothing more to say, and nothing to complain about.
        silence(stream)
    except OSError as error:  # a full disk, an I/O error: one line, and a non-zero exit
        silence(stream)
        raise InputError(os_problem(error, STANDARD_OUTPUT, "write")) from None


#: How standard output is named in messages.
STANDARD_OUTPUT = "standard output"


def silence(stream: Any) -> None:
    """Point a failed stream's descriptor at devnull, so the interpreter's final flush of
    what is still buffered does not fail again and print a traceback (the Python docs'
    SIGPIPE recipe). A stream without a descriptor (a test's capture) is left alone."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def _lstat(path: str, destination: str) -> os.stat_result | None:
    """`os.lstat`, None when nothing is there (or a folder on the way is a file)."""
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:  # a name too long, a loop of symlinks on the way
        raise InputError(os_problem(error, destination, "write it")) from None


def _stat(path: Path | str, destination: str, doing: str) -> os.stat_result | None:
    """`os.stat`, None when nothing is there (or a folder on the way is a file)."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise InputError(os_problem(error, destination, doing)) from None


def _resolve_destination(destination: str) -> Path:
    """The file to write: the destination itself, or the final target of a symlink."""
    from pathlib import Path  # 3 ms to import, paid only by writing a file (not stdout)

    given = Path(destination)
    found = _lstat(destination, destination)
    if found is None or not stat.S_ISLNK(found.st_mode):
        return given
    final = Path(os.path.realpath(given))
    if _stat(destination, destination, "follow this symbolic link") is None:
        raise InputError(
            Problem(
                f"is a symbolic link to {final}, which does not exist; not following it",
                file=destination,
                hint="point the link at an existing file, or write somewhere else",
            )
        )
    return final


def _check_target(target: Path, destination: str, force: bool) -> int:
    """Refuse a target we must not write; return the mode the new file should have."""

    def refuse(message: str, hint: str | None = None) -> InputError:
        return InputError(Problem(message, file=destination, hint=hint))

    folder = target.parent
    shown_folder = f"{folder}{os.sep}"
    info = _stat(target, destination, "write it")
    if destination.endswith(("/", os.sep)) or (info is not None and stat.S_ISDIR(info.st_mode)):
        raise refuse(
            "is a directory, not a file",
            f"name the file to write, e.g. {os.path.join(destination, 'report.md')}",
        )
    try:
        folder_info = os.stat(folder)
    except FileNotFoundError:
        raise refuse(f"no such folder: {shown_folder} — create it first") from None
    except NotADirectoryError:
        raise refuse(f"{shown_folder.rstrip(os.sep)} is not a folder") from None
    except OSError as error:
        raise InputError(os_problem(error, destination, f"use the folder {shown_folder}")) from None
    if not stat.S_ISDIR(folder_info.st_mode):
        raise refuse(f"{shown_folder.rstrip(os.sep)} is not a folder")
    if info is None:
        return 0o666 & ~_current_umask()
    if not stat.S_ISREG(info.st_mode):
        raise refuse("exists and is not a regular file; not replacing it")
    # Root may write anything, so look at the mode bits too: a file somebody made
    # read-only is a statement that it should not change, --force or not.
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if not info.st_mode & writable_bits or not os.access(target, os.W_OK):
        raise refuse("is read-only; not replacing it")
    if not force:
        raise refuse("already exists; use --force to replace it")
    return stat.S_IMODE(info.st_mode)


def _current_umask() -> int:
    # The only portable way to read the umask is to set it; the CLI is single-threaded.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomically(data: bytes, target: Path, destination: str, mode: int, force: bool) -> None:
    """`write_file`, with its failures as one-line input errors naming the destination."""
    try:
        write_file(target, data, replace=force, mode=mode)
    except NoTemporaryFile as error:
        raise InputError(os_problem(error, destination, f"write in folder {target.parent}{os.sep}")) from None
    except FileExistsError:
        raise InputError(Problem("already exists; use --force to replace it", file=destination)) from None
    except OSError as error:
        raise InputError(os_problem(error, destination, "write it")) from None


class NoTemporaryFile(OSError):
    """The folder would not take the temporary file: nothing was written or removed."""


def write_file(path: Path, data: bytes, *, replace: bool = False, mode: int | None = None) -> None:
    """The one atomic writer: `data` becomes the file `path`, whole or not at all.

    The data goes to a hidden temporary file beside `path` (`.NAME.XXXX.tmp`), is fsynced,
    takes `path`'s name, and then the folder is fsynced so the rename survives a crash.
    Without `replace` an existing file is never clobbered (FileExistsError), even one that
    appears meanwhile. `mode` defaults to what the umask gives a new file. The temporary
    file is removed on every way out: an error, an exception, SIGTERM or SIGHUP. Raises
    OSError (NoTemporaryFile when the folder refuses the temporary file).
    """
    import tempfile

    folder = path.parent
    with _TerminationGuard() as guard:
        try:
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            guard.add(temporary)
        except OSError as error:
            raise NoTemporaryFile(error.errno, error.strerror, error.filename) from None
        finally:
            guard.release()  # a signal held back meanwhile finds the name registered
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.chmod(temporary, 0o666 & ~_current_umask() if mode is None else mode)  # mkstemp: 0o600
                os.fsync(stream.fileno())
            if replace:
                os.replace(temporary, path)
            else:
                _link_without_clobbering(temporary, path)
        except BaseException:
            _remove_quietly(temporary)
            raise
    _sync_folder(folder)


def _link_without_clobbering(temporary: str, target: Path) -> None:
    """Give the finished temp file the target's name, failing if that name is taken.

    A hard link is atomic and never overwrites, so a file that appeared since we checked is
    safe. Where links are unsupported (some network and FAT file systems) we re-check and
    rename; a file created in that instant between would be replaced, a race we accept.
    """
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", os.fspath(target)) from None
        os.replace(temporary, target)
        return
    _remove_quietly(temporary)  # the target is written; a stray temp name is no failure


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_folder(folder: Path) -> None:
    # Persist the rename itself; not every platform or file system can open a folder.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


class _TerminationGuard:
    """While a write runs, SIGTERM and SIGHUP remove its temporary file before they end us.

    Their default action kills the process without running `finally`, so for the length of
    one write ours removes the file, then re-raises the signal with the default action (the
    exit status stays "killed by SIGTERM"). A handler someone else installed is called as
    usual (if it raises, the writer's own clean-up runs); an ignored signal stays ignored.
    The signals are held back while the file is created, so none falls between its creation
    and its registration. Handlers belong to the main thread: in others only errors and
    exceptions clean up.
    """

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.previous: dict[int, Any] = {}
        self.mask: set[int] | None = None
        """The signal mask to restore, while ours holds the signals back."""

    def __enter__(self) -> _TerminationGuard:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return self
        numbers = {getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)}
        if hasattr(signal, "pthread_sigmask"):
            self.mask = set(signal.pthread_sigmask(signal.SIG_BLOCK, numbers))
        for number in numbers:
            self.previous[number] = signal.signal(number, self._on_signal)
        return self

    def add(self, path: str) -> None:
        self.paths.append(path)

    def release(self) -> None:
        """Let held-back signals through (once the temporary file's name is known)."""
        if self.mask is not None:
            import signal

            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)
            self.mask = None

    def __exit__(self, *exc_info: object) -> None:
        import signal

        self.release()
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def _on_signal(self, number: int, frame: Any) -> None:
        import signal

        previous = self.previous.get(number)
        if previous is signal.SIG_IGN:
            return
        if callable(previous):
            previous(number, frame)
            return
        for path in self.paths:  # SIG_DFL, or a handler set outside Python (None)
            _remove_quietly(path)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
