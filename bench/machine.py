"""The machine lines every benchmark prints first (the bench convention): CPU, cores, load, Python."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def print_machine(**versions: str) -> None:
    """Print CPU, cores, usable cores, the 1-minute load, Python, then ``name = version`` lines."""
    print(f"cpu = {cpu_model()}")
    print(f"cores = {os.cpu_count()}")
    try:
        print(f"cores_usable = {len(os.sched_getaffinity(0))}")
    except AttributeError:
        pass
    print(f"load_average_1min = {os.getloadavg()[0]:.2f}")
    print(f"python = {platform.python_version()}")
    for name, version in versions.items():
        print(f"{name} = {version}")
