"""Writing outputs without losing a file: never over an input, always whole (a temporary file, then a rename)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Union

from procmap.errors import OptionError, OutputError

PathLike = Union[str, "os.PathLike[str]"]


def shown(path: PathLike) -> str:
    """A path as a person reads it, even when its bytes are not valid UTF-8 (shown as \\xNN)."""
    text = os.fspath(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_output(path: PathLike, inputs: Iterable[PathLike] = (), *, suffixes: tuple[str, ...] = (),
                 what: str = "") -> Path:
    """Refuse, before anything is made, an output that is an input, a folder, or under a file; and with
    ``suffixes``, one whose name promises another format (an Excel workbook called report.docx)."""
    out = Path(path)
    if out.is_dir():
        raise OutputError(f"cannot write {shown(out)}: it is a folder (give a file name)")
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write {shown(out)}: {shown(parent)} is a file, not a folder")
            break
    for given in inputs:
        if given is None or not isinstance(given, (str, os.PathLike)):
            continue
        src = Path(given)
        same = False
        try:
            same = out.exists() and src.exists() and os.path.samefile(out, src)
        except OSError:
            same = False
        if same or out.absolute() == src.absolute():
            raise OutputError(f"cannot write {shown(out)}: it is one of the input files; choose another name "
                              "(procmap never overwrites its input)")
    if suffixes and out.suffix.lower() not in suffixes:
        raise OptionError(f"cannot write {shown(out.name)}: {what or 'this output'} needs a name ending in "
                          f"{' or '.join(suffixes)}")
    return out


def write_atomic(path: PathLike, data: Union[bytes, str], *, inputs: Iterable[PathLike] = ()) -> Path:
    """Write ``data`` to ``path`` whole or not at all: an interrupted run leaves the old file or the new one.

    The data goes to a temporary file in the same folder, which then replaces ``path``
    (a rename, atomic on one file system). ``inputs`` are the files the output was made
    from: writing over one of them is refused.
    """
    import tempfile  # only when writing: reading never pays for it

    out = check_output(path, inputs)
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = out.parent if str(out.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{out.name[:100]}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"cannot write {shown(out)}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        mode = 0o666 & ~_umask()
        try:
            mode = os.stat(out).st_mode & 0o777  # keep the mode of the file it replaces
        except OSError:
            pass
        os.chmod(temp, mode)
        os.replace(temp, out)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {shown(out)}: {exc.strerror or exc}") from None
        raise
    return out


def _umask() -> int:
    # os.umask can only be read by setting it; read it once per call from /proc where possible.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


__all__ = ["check_output", "shown", "write_atomic"]
