"""Reading a user's text file with one-line errors: the file, and what is wrong with it."""

from __future__ import annotations

from pathlib import Path

from .errors import InvalidFile


def read_text_file(path: Path, expected: str, max_bytes: int) -> str:
    """The UTF-8 text of ``path``; ``expected`` names what it should be ("a JSON file")."""
    if not path.exists():
        raise InvalidFile(f"{path}: no such file")
    if path.is_dir():
        raise InvalidFile(f"{path}: is a directory, expected {expected}")
    try:
        if path.stat().st_size > max_bytes:
            raise InvalidFile(f"{path}: larger than {_size(max_bytes)}; expected {expected}")
        return path.read_bytes().decode("utf-8")
    except PermissionError:
        raise InvalidFile(f"{path}: cannot be read (permission denied)") from None
    except UnicodeDecodeError:
        raise InvalidFile(f"{path}: not UTF-8 text, expected {expected}") from None
    except OSError as error:
        raise InvalidFile(f"{path}: cannot be read ({error.strerror})") from None


def _size(count: int) -> str:
    return f"{count // 2**20} MiB" if count >= 2**20 else f"{count // 1024} KiB"


def read_binary_file(path: Path, expected: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``max_bytes`` (never a device or a FIFO,
    which could block or never end); ``expected`` names what it should be ("a NumPy .npz file")."""
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidFile(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidFile(f"{path}: cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidFile(f"{path}: is a directory, expected {expected}")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidFile(f"{path}: not a regular file, expected {expected}")
    if info.st_size > max_bytes:
        raise InvalidFile(f"{path}: larger than {_size(max_bytes)}; expected {expected}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InvalidFile(f"{path}: cannot be read (permission denied)") from None
    except OSError as error:
        raise InvalidFile(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > max_bytes:
        raise InvalidFile(f"{path}: larger than {_size(max_bytes)}; expected {expected}")
    return data
