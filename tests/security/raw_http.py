"""What an HTTP client library will not do: a request head of many megabytes written on a
plain socket; and a process' resident memory, read from /proc."""

from __future__ import annotations

import socket
from pathlib import Path

CHUNK = 1024 * 1024


def request_with_huge_head(port: int, header_bytes: int, path: str = "/health") -> bytes:
    """Send one request whose `X-Pad` header holds `header_bytes` bytes; the answer's first
    bytes (b"" if the server closed without one). Writing stops when the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        try:
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nX-Pad: ".encode())
            for start in range(0, header_bytes, CHUNK):
                connection.sendall(b"a" * min(CHUNK, header_bytes - start))
            connection.sendall(b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed while we wrote: the answer may still be there to read
        return _answer(connection)


def request_with_many_headers(port: int, count: int, path: str = "/health") -> bytes:
    headers = "".join(f"X-Header-{n}: {n}\r\n" for n in range(count))
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n{headers}\r\n".encode())
        return _answer(connection)


def _answer(connection: socket.socket) -> bytes:
    received = b""
    try:
        while b"\r\n\r\n" not in received and (piece := connection.recv(65536)):
            received += piece
    except ConnectionResetError:
        pass
    return received


def memory_kb(pid: int, field: str) -> int:
    """`VmRSS` (resident now) or `VmHWM` (the peak) of process `pid`, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def reset_peak_memory(pid: int) -> None:
    """Make `VmHWM` start again from the resident memory of now (Linux 4.0 and later)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
