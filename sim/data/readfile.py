"""Reading a file a user names (a design table, a posterior, a record, a valuation): regular files only, of bounded
size, so a FIFO, a device (/dev/zero) or a huge file is refused at once instead of hanging or filling memory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 64 * 2**20  # assumption: 64 MiB; the largest input exodus ships (a posterior) is ~50 kB


def read_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file `path` (symlinks followed), at most `limit` of them.

    Raises FileNotFoundError, or OSError whose `strerror` says why (not a regular file, too large). The file is
    opened without blocking and checked on its descriptor, so a FIFO cannot stall the open or the check."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
            raise OSError(errno.EINVAL, f"not a regular file ({kind})", str(path))
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise OSError(errno.EFBIG, f"larger than the limit of {limit // 2**20} MiB", str(path))
    return b"".join(chunks)


def read_text(path: str | Path, limit: int = MAX_BYTES) -> str:
    """`read_bytes` decoded as UTF-8 (a byte-order mark dropped)."""
    return read_bytes(path, limit).decode("utf-8-sig")
