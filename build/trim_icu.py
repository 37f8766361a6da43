"""Trim the ICU data library Qt brings on Linux (libicudata, 32 MB) to what an English and French app uses.

Qt's Linux wheels link ICU; its data library holds every locale's collation, names, currencies and units,
and 190 legacy codepage converters. sparkgui speaks English and French and decodes nothing legacy with Qt
(PAC files and proxy answers are read in Python). The trimmed library keeps the root, English and French
resources and everything not tied to a locale (Unicode properties, normalisation, break rules and their
dictionaries, time zones), and drops the other locales, the converters and the transliterators: 7.5 MB.

Used by installer.spec on Linux: it needs `icupkg` (Debian: icu-devtools) and a C compiler; without them
the library is shipped whole, and the build says so. Windows and macOS wheels bring no ICU of their own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

KEPT_LANGUAGES = {"root", "en", "fr"}
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def dropped(item: str) -> bool:
    """Whether one item of the ICU data package (`coll/de.res`, `ibm-943_P15A-2003.cnv`) goes."""
    folder, _, name = item.rpartition("/")
    stem, _, extension = name.rpartition(".")
    if extension == "cnv" or folder == "translit":
        return True
    language = stem.split("_")[0]
    return (
        extension == "res"
        and stem != "res_index"
        and bool(_LANGUAGE.fullmatch(language))
        and language not in KEPT_LANGUAGES
    )


def _symbol(library: Path) -> tuple[str, int, int]:
    """The data symbol (icudtNN_dat) of `library`, with its offset in the file and its size."""
    listing = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True, check=True).stdout
    found = [line.split() for line in listing.splitlines() if re.search(r"\sicudt\d+_dat$", line)]
    if len(found) != 1 or len(found[0]) != 4:
        raise ValueError(f"{library}: no single icudtNN_dat symbol")
    address, size, name = int(found[0][0], 16), int(found[0][1], 16), found[0][3]
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True, text=True, check=True)
    for line in sections.stdout.splitlines():
        fields = line.split("]", 1)[-1].split()
        if len(fields) > 4 and fields[0] == ".rodata":
            section_address, section_offset = int(fields[2], 16), int(fields[3], 16)
            return name, address - section_address + section_offset, size
    raise ValueError(f"{library}: no .rodata section")


def missing_tools() -> list[str]:
    """The commands trimming needs that this machine lacks."""
    return [tool for tool in ("icupkg", "gcc", "nm", "readelf") if shutil.which(tool) is None]


def trim(library: Path, out_folder: Path) -> Path:
    """Write the trimmed copy of `library` (same file name and soname) into `out_folder`, and return it."""
    symbol, offset, size = _symbol(library)
    package = symbol.removesuffix("_dat") + "l"  # icudt73l: the items are found under this package name
    out_folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work_name:
        work = Path(work_name)
        with library.open("rb") as whole:
            whole.seek(offset)
            (work / f"{package}.dat").write_bytes(whole.read(size))
        items = subprocess.run(
            ["icupkg", "-l", str(work / f"{package}.dat")], capture_output=True, text=True, check=True
        )
        gone = [item for item in items.stdout.split() if dropped(item)]
        (work / "gone.txt").write_text("\n".join(gone) + "\n", encoding="ascii")
        (work / "kept").mkdir()
        trimmed = work / "kept" / f"{package}.dat"  # icupkg names the package after the output file
        subprocess.run(["icupkg", "-r", str(work / "gone.txt"), str(work / f"{package}.dat"), str(trimmed)], check=True)
        source = work / "data.S"
        source.write_text(
            f"    .section .rodata\n    .globl {symbol}\n    .type {symbol}, @object\n    .balign 16\n{symbol}:\n"
            f'    .incbin "{trimmed}"\n    .size {symbol}, . - {symbol}\n'
            '    .section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        target = out_folder / library.name
        subprocess.run(
            ["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(target), str(source)], check=True
        )
    return target
