"""How much this process's resident memory grows at its peak while some code
runs (Linux: VmHWM after resetting it through /proc/self/clear_refs). Counts
what tracemalloc misses: libcurl's and zlib's buffers."""

from pathlib import Path

MIB = 2**20


def _status_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


class PeakGrowth:
    """with PeakGrowth() as growth: ...; growth.mib is the peak RSS above the start."""

    def __enter__(self):
        Path("/proc/self/clear_refs").write_text("5")
        self.start_kib = _status_kib("VmRSS")
        self.mib = None
        return self

    def __exit__(self, *exc):
        self.mib = (_status_kib("VmHWM") - self.start_kib) / 1024
        return False
