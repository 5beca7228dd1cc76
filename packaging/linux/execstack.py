"""Finds, and with --clear removes, the executable-stack flag on the bundle's shared libraries.

glibc 2.41 and later refuse to dlopen a library that asks for an executable stack ("cannot
enable executable stack as shared object requires"), and some ctranslate2 wheels were built
with that flag. The flag lives in the PT_GNU_STACK program header; clearing its PF_X bit is
what `execstack -c` and `patchelf --clear-execstack` do. Usage:
    python packaging/linux/execstack.py [--clear] DIR
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

PT_GNU_STACK = 0x6474E551
PF_X = 0x1
ELF_MAGIC = b"\x7fELF"


def executable_stack_flag_offset(data: bytes) -> int | None:
    """Where the PT_GNU_STACK flags word is when it asks for an executable stack, else None.

    Only 64-bit little-endian ELF files are read (the bundle's architecture); others are None.
    """
    if len(data) < 64 or data[:4] != ELF_MAGIC or data[4] != 2 or data[5] != 1:
        return None
    (program_headers,) = struct.unpack_from("<Q", data, 0x20)
    entry_size, entries = struct.unpack_from("<HH", data, 0x36)
    for index in range(entries):
        start = program_headers + index * entry_size
        if start + 8 > len(data):
            return None
        kind, flags = struct.unpack_from("<II", data, start)
        if kind == PT_GNU_STACK:
            return start + 4 if flags & PF_X else None
    return None


def scan(folder: Path, clear: bool) -> list[Path]:
    """The libraries under `folder` that asked for an executable stack (cleared if `clear`)."""
    flagged = []
    for path in sorted(folder.rglob("*.so*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as file:
            head = file.read(64 * 1024)  # the program headers follow the ELF header closely
        offset = executable_stack_flag_offset(head)
        if offset is None:
            continue
        flagged.append(path)
        if clear:
            (flags,) = struct.unpack_from("<I", head, offset)
            with path.open("r+b") as file:
                file.seek(offset)
                file.write(struct.pack("<I", flags & ~PF_X))
    return flagged


def main() -> int:
    parser = argparse.ArgumentParser(description="executable-stack flags in a bundle")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--clear", action="store_true", help="clear the flags that are found")
    args = parser.parse_args()
    flagged = scan(args.folder, args.clear)
    for path in flagged:
        print(f"{'cleared' if args.clear else 'executable stack'}: {path}")
    print(f"{len(flagged)} libraries asked for an executable stack")
    return 1 if flagged and not args.clear else 0


if __name__ == "__main__":
    sys.exit(main())
