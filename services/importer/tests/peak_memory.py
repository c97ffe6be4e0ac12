"""A service process' peak resident memory from now on (Linux: /proc/<pid>/status VmHWM,
reset through /proc/<pid>/clear_refs), so that a test can bound what one request made it
take, whatever it took before."""

from __future__ import annotations

from pathlib import Path

from contacts_testing.service_process import ServiceProcess


class PeakMemory:
    def __init__(self, service: ServiceProcess) -> None:
        assert service.process is not None
        self._proc = Path(f"/proc/{service.process.pid}")
        (self._proc / "clear_refs").write_text("5")  # VmHWM := VmRSS
        self._start_kb = self._status_kb("VmRSS")

    def growth_mb(self) -> float:
        """How far the peak rose above the resident memory at the start, in MB."""
        return (self._status_kb("VmHWM") - self._start_kb) / 1024

    def _status_kb(self, field: str) -> int:
        for line in (self._proc / "status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise AssertionError(f"{field} is not in {self._proc}/status")
