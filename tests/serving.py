"""`adaptwise serve` in a subprocess on a free loopback port, for the serve tests and the bench."""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: The serve command says this on stdout once it listens.
LISTENING = "adaptwise: serving the wizard on "


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    state_dir: Path
    """The server's ADAPTWISE_STATE_DIR: a served session must leave it empty."""
    output: list[str] = field(default_factory=list)
    """Every line the server printed on stdout and stderr (read all along, so it never blocks)."""


@contextlib.contextmanager
def serving(env: dict[str, str], tmp: Path, *options: str, timeout: float = 30) -> Iterator[Served]:
    """Start `adaptwise serve` on a free port, wait until it listens, stop it at the end."""
    state_dir = tmp / "state"
    workdir = tmp / "server-cwd"
    workdir.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):  # another process may take the free port before the server does
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "adaptwise", "serve", "--port", str(port), *options],
            env={**env, "ADAPTWISE_STATE_DIR": str(state_dir)},
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        served = Served(process, f"http://127.0.0.1:{port}/", state_dir)

        def read(stream=process.stdout, served=served, lines=lines) -> None:
            for line in stream:
                served.output.append(line)
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        try:
            while (line := lines.get(timeout=timeout)) is not None and not line.startswith(LISTENING):
                pass
        except queue.Empty:
            line = None
        if line is None:
            stop(process)
            if any("address already in use" in text.lower() for text in served.output):
                continue
            raise AssertionError("adaptwise serve did not start:\n" + "".join(served.output))
        try:
            yield served
        finally:
            stop(process)
        return
    raise AssertionError("no free port could be had for adaptwise serve")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")) if folder.exists() else []


def session_pids(server_pid: int) -> list[int]:
    """The wizard processes (`serve --session`) the server started, by /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], list(children.get(server_pid, []))
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"python" in Path(argv[0].decode()).name.encode() and b"--session" in argv:  # not the shell
                found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0
