"""Which TCP addresses a process listens on, read from /proc (no `ss` needed)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

LISTEN = "0A"


def _listening_sockets() -> dict[str, tuple[str, int]]:
    """Every listening TCP socket of the machine: inode → (address, port)."""
    found: dict[str, tuple[str, int]] = {}
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != LISTEN:
                continue
            hex_addr, hex_port = local.split(":")
            raw = bytes.fromhex(hex_addr)
            # /proc prints each 32-bit word in host (little-endian) order.
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            address = ipaddress.ip_address(words) if width == 16 else ipaddress.ip_address(words[:4])
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                address = address.ipv4_mapped  # ::ffff:127.0.0.1, a dual-stack socket bound to 127.0.0.1
            found[inode] = (str(address), int(hex_port, 16))
    return found


def listening(pid: int) -> list[tuple[str, int]]:
    """The (address, port) pairs process `pid` listens on."""
    sockets = _listening_sockets()
    mine = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and (inode := target[8:-1]) in sockets:
            mine.append(sockets[inode])
    return sorted(set(mine))


def not_loopback(addresses: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The pairs that are NOT on the loopback interface (0.0.0.0, ::, a real interface…)."""
    wrong = []
    for address, port in addresses:
        if not ipaddress.ip_address(address).is_loopback:
            wrong.append((address, port))
    return wrong
