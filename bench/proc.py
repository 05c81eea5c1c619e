"""Process-tree measurements read from /proc: resident memory and CPU time of a process and its descendants."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def _tree_kb(pid: int, path: str, field: str) -> int:
    """The sum of one /proc/<pid>/<path> field (in kB) over a process tree."""
    total = 0
    for member in descendants(pid):
        try:
            for line in Path(f"/proc/{member}/{path}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process tree, in MB: each process's RSS added up, so pages they share (the extraction
    workers share what their fork server loaded) count once per process."""
    return _tree_kb(pid, "status", "VmRSS:") / 1024


def tree_pss_mb(pid: int) -> float:
    """Memory of a process tree, in MB: the proportional set size, where a page shared by n processes counts 1/n in
    each, so the tree's shared pages count once."""
    return _tree_kb(pid, "smaps_rollup", "Pss:") / 1024


def cpu_seconds(pid: int, with_reaped_children: bool = True) -> float:
    """CPU seconds (user + system) of one process, plus those of its children that have exited and been reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / _TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by a process tree: its live members and the members they have reaped."""
    return sum(cpu_seconds(member) for member in descendants(pid))
