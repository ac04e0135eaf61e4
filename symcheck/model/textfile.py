"""Reading a user's text file with one-line errors: the file, and what is wrong with it.

This is the one reader for every file a user names (point files, init files,
theorem files). It reads regular files only and caps the size while reading:
``st_size`` is 0 for ``/dev/zero`` and for FIFOs, so a check of the size before
reading would let them through. The file is opened with ``O_NONBLOCK`` so that
opening a FIFO without a writer returns at once instead of waiting for ever;
``fstat`` of the open descriptor (not of the name, which could be swapped in
between) then refuses everything that is not a regular file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import InvalidFile

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def read_text_file(path: Path, expected: str, max_bytes: int) -> str:
    """The UTF-8 text of ``path``; ``expected`` names what it should be ("a JSON file")."""
    path = Path(path)
    data = read_binary_file(path, expected, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidFile(f"{_name(path)}: not UTF-8 text, expected {expected}") from None


def read_binary_file(path: Path, expected: str, max_bytes: int) -> bytes:
    """The bytes of ``path`` (a regular file, at most ``max_bytes``), e.g. a NumPy .npz file."""
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InvalidFile(_open_error(path, error, expected)) from None
    except ValueError:  # a NUL character: no file has such a name
        raise InvalidFile(f"{_name(path)}: not a file name (it contains a NUL character)") from None
    try:
        kind = file_kind(os.fstat(descriptor).st_mode)
        if kind is not None:
            raise InvalidFile(f"{_name(path)}: is {kind}, not a regular file; expected {expected}")
        data = _read_capped(descriptor, max_bytes)
    except OSError as error:
        raise InvalidFile(f"{_name(path)}: cannot be read ({_reason(error)})") from None
    finally:
        os.close(descriptor)
    if data is None:
        raise InvalidFile(f"{_name(path)}: larger than {_size(max_bytes)}; expected {expected}")
    return data


def file_kind(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _read_capped(descriptor: int, max_bytes: int) -> bytes | None:
    """At most ``max_bytes`` bytes, or None if the file has more (the cap holds while reading)."""
    chunks, total = [], 0
    while total <= max_bytes:
        chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    return None


def _open_error(path: Path, error: OSError, expected: str) -> str:
    if error.errno == errno.ENOENT:
        return f"{_name(path)}: no such file" + (" (a dangling symbolic link)" if path.is_symlink() else "")
    if error.errno == errno.ELOOP:
        return f"{_name(path)}: too many levels of symbolic links (a symlink loop?); expected {expected}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"{_name(path)}: cannot be read (permission denied)"
    if error.errno == errno.EISDIR:
        return f"{_name(path)}: is a directory, expected {expected}"
    if error.errno == errno.ENXIO:
        return f"{_name(path)}: is a socket or a device, not a regular file; expected {expected}"
    if error.errno == errno.ENOTDIR:
        return f"{_name(path)}: no such file (a part of the path is not a directory)"
    return f"{_name(path)}: cannot be opened ({_reason(error)})"


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower() if error.errno != errno.EACCES else "permission denied"


def _size(count: int) -> str:
    return f"{count // 2**20} MiB" if count >= 2**20 else f"{count // 1024} KiB"


def _name(path: Path) -> str:
    """The path for a message, shortened when someone passed a page of text as a file name."""
    text = str(path)
    return text if len(text) <= 200 else text[:100] + "..."
