"""Time to the first interactive screen and peak memory: adaptwise's wizard vs a minimal Textual app.

Each run is a fresh subprocess (interpreter start and imports included) that runs the app
headless at 80x24 and reports as soon as the first screen is mounted and idle. The two
apps alternate in the same session so machine noise hits both alike. Goal: each ratio ≤ 1.25.

    python bench/bench_wizard.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def child(kind: str) -> None:
    import resource

    if kind == "adaptwise":
        from adaptwise.files.trees import load_tree
        from adaptwise.tui.app import create_app

        app = create_app(load_tree())
    else:
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, RadioButton, RadioSet

        class Baseline(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                with RadioSet():
                    yield RadioButton("Prompt engineering", value=True)
                    yield RadioButton("Fine-tuning")
                    yield RadioButton("Training")
                yield Footer()

        app = Baseline()

    async def ready(pilot) -> None:
        await pilot.pause()  # first screen mounted, laid out and idle
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"ready {peak_kib} {type(pilot.app.screen).__name__}", flush=True)
        pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=ready)


def one_run(kind: str, env: dict[str, str]) -> tuple[float, float, str]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", kind], stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait(timeout=60)
    _, peak_kib, screen = line.split()
    return elapsed * 1000, int(peak_kib) / 1024, screen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", choices=["adaptwise", "baseline"])
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    with tempfile.TemporaryDirectory() as state:
        env = {**os.environ, "ADAPTWISE_STATE_DIR": state}  # never offer a real session
        one_run("adaptwise", env)  # warm the tree cache and the OS file cache
        one_run("baseline", env)
        results: dict[str, list[tuple[float, float]]] = {"adaptwise": [], "baseline": []}
        screens = {}
        for _ in range(options.runs):
            for kind in ("adaptwise", "baseline"):
                ms, mib, screen = one_run(kind, env)
                results[kind].append((ms, mib))
                screens[kind] = screen
    print(f"{options.runs} runs each, alternating; headless 80x24; medians")
    print(f"{'app':<28}{'first screen (ms)':>20}{'peak RSS (MiB)':>18}")
    medians = {}
    for kind, runs in results.items():
        ms = statistics.median(r[0] for r in runs)
        mib = statistics.median(r[1] for r in runs)
        medians[kind] = (ms, mib)
        print(f"{kind + ' (' + screens[kind] + ')':<28}{ms:>20.0f}{mib:>18.1f}")
    ratio_ms = medians["adaptwise"][0] / medians["baseline"][0]
    ratio_mib = medians["adaptwise"][1] / medians["baseline"][1]
    print(f"{'ratio (goal <= 1.25)':<28}{ratio_ms:>20.2f}{ratio_mib:>18.2f}")


if __name__ == "__main__":
    main()
