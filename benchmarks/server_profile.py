"""Where a server's time goes under load: CPU seconds per process, and py-spy by function.

`cpu_seconds` reads what Linux has charged to processes (/proc/PID/stat), so a phase's CPU per
request can be shown for the API servers and for PostgreSQL's backends apart: a figure that
holds on a machine shared with other work, where rates and latencies do not.

`benchmarks.http_load --profile` samples every `creditdesk serve` process with py-spy (not a
dependency of the project: `uv run --with py-spy python -m benchmarks.http_load --profile`)
during the intake phase, from outside, so the servers run unchanged. py-spy writes collapsed
stacks ("frame;frame;frame count", of the thread holding the GIL); `top_costs` reads them and ranks
functions by inclusive share (samples with the function anywhere on the stack) and by self
share (samples where it is the running frame), over all the busy samples.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from attrs import frozen

_LINE = re.compile(r":\d+\)$")


@frozen
class Cost:
    """One function's share of the busy samples, inclusive and self."""

    function: str
    inclusive: float
    own: float


def cpu_seconds(pids: Iterable[int], *, ended_children: bool = False) -> dict[int, float]:
    """User and system CPU seconds charged so far to each of `pids` still running; with
    `ended_children`, also what their children that have ended used (PostgreSQL's postmaster
    collects its ended backends' CPU so: a connection opened and closed within a phase)."""
    ticks = os.sysconf("SC_CLK_TCK")
    charged = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime: fields 14 to 17 of proc(5)
        used = int(fields[11]) + int(fields[12])
        if ended_children:
            used += int(fields[13]) + int(fields[14])
        charged[pid] = used / ticks
    return charged


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds charged between two readings, to the processes running at the second (a
    process that ended meanwhile takes its share with it; one that started counts whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def children_of(parent: int) -> list[int]:
    """The processes whose parent is `parent` (PostgreSQL's backends, for the postmaster)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def py_spy() -> str | None:
    return shutil.which("py-spy")


@contextmanager
def recording(pids: Sequence[int], seconds: float, folder: Path) -> Iterator[list[Path]]:
    """py-spy recording each of `pids` for `seconds` while the block runs; the files of
    collapsed stacks, complete once the block has left."""
    binary = py_spy()
    if binary is None:
        raise SystemExit("--profile needs py-spy: uv run --with py-spy python -m benchmarks...")
    folder.mkdir(parents=True, exist_ok=True)
    outputs = [folder / f"profile-{pid}.txt" for pid in pids]
    # --gil: only the thread holding the GIL is sampled, so the samples are the Python CPU
    # that limits a process, not threads waiting for the database or for the GIL.
    options = ["--duration", str(int(seconds)), "--rate", "250", "--format", "raw", "--gil"]
    recorders = [
        subprocess.Popen(  # noqa: S603 - py-spy, fixed arguments
            [binary, "record", "--pid", str(pid), *options, "--output", str(out), "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid, out in zip(pids, outputs, strict=True)
    ]
    try:
        yield outputs
    finally:
        for recorder in recorders:
            recorder.wait(timeout=seconds + 60)


def _frame(frame: str) -> str:
    """A frame without its line number: 'submit (entrypoints/http/applications.py)'."""
    return _LINE.sub(")", frame.strip())


def stacks(lines: Iterable[str]) -> Iterator[tuple[list[str], int]]:
    """Each collapsed stack as its frames (outermost first, the thread left out) and count."""
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if stack and count.isdigit():
            yield [_frame(f) for f in stack.split(";")[1:]], int(count)


def top_costs(lines: Iterable[str], limit: int = 25) -> tuple[int, list[Cost]]:
    """The busy samples counted, and the `limit` costliest functions by inclusive share."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for frames, count in stacks(lines):
        total += count
        for function in set(frames):
            inclusive[function] += count
        if frames:
            own[frames[-1]] += count
    ranked = [
        Cost(function, n / total, own[function] / total)
        for function, n in inclusive.most_common(limit)
    ]
    return total, ranked


def print_costs(files: Sequence[Path], title: str, limit: int = 40) -> None:
    lines = [line for path in files if path.exists() for line in path.read_text().splitlines()]
    total, ranked = top_costs(lines, limit)
    print(f"\nprofile of {title} (py-spy, {total:,} samples holding the GIL): "
          "inclusive %, self %, function")  # fmt: skip
    for cost in ranked:
        print(f"  {cost.inclusive:6.1%} {cost.own:6.1%}  {cost.function}")
    own: Counter[str] = Counter()
    for frames, count in stacks(lines):
        if frames:
            own[frames[-1]] += count
    print("top self time: self %, function")
    for function, count in own.most_common(20):
        print(f"  {count / total:6.1%}  {function}")
