#!/usr/bin/env python3
"""Relocates Jackson's jars under Iceberg's shaded package and merges them into one jar.

Apache Iceberg's Spark runtime shades Jackson as `org.apache.iceberg.shaded.com.fasterxml.jackson`; the copy of that
runtime on PyPI (snowpark-connect-deps-iceberg) ships without those classes. This script rebuilds them from Jackson's
own jars (snowpark-connect-deps-2) without Maven: every class file's constant pool has its UTF-8 entries rewritten
(`com/fasterxml/jackson` and `com.fasterxml.jackson` gain the shaded prefix; internal names, descriptors, signatures
and class-name strings all live there), entry paths move likewise, and service files are renamed and rewritten.

usage: relocate-jackson.py OUT.jar JACKSON.jar...
"""
import struct
import sys
import zipfile

SLASH_FROM, SLASH_TO = b"com/fasterxml/jackson", b"org/apache/iceberg/shaded/com/fasterxml/jackson"
DOT_FROM, DOT_TO = b"com.fasterxml.jackson", b"org.apache.iceberg.shaded.com.fasterxml.jackson"

# Constant-pool tags and the size of their payloads (UTF-8 entries are length-prefixed and handled apart).
FIXED_SIZES = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2}


def relocate_text(data: bytes) -> bytes:
    return data.replace(SLASH_FROM, SLASH_TO).replace(DOT_FROM, DOT_TO)


def relocate_class(data: bytes, name: str) -> bytes:
    if data[:4] != b"\xca\xfe\xba\xbe":
        raise ValueError(f"{name}: not a class file")
    count = struct.unpack_from(">H", data, 8)[0]
    out = bytearray(data[:10])
    offset, index = 10, 1
    while index < count:
        tag = data[offset]
        if tag == 1:
            length = struct.unpack_from(">H", data, offset + 1)[0]
            text = relocate_text(data[offset + 3:offset + 3 + length])
            if len(text) > 0xFFFF:
                raise ValueError(f"{name}: relocated constant longer than 65535 bytes")
            out += bytes([1]) + struct.pack(">H", len(text)) + text
            offset += 3 + length
        elif tag in FIXED_SIZES:
            size = FIXED_SIZES[tag]
            out += data[offset:offset + 1 + size]
            offset += 1 + size
            if tag in (5, 6):  # longs and doubles take two slots
                index += 1
        else:
            raise ValueError(f"{name}: unknown constant-pool tag {tag} at offset {offset}")
        index += 1
    out += data[offset:]
    return bytes(out)


def relocate_path(path: str) -> str:
    return relocate_text(path.encode()).decode()


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    target, sources = sys.argv[1], sys.argv[2:]
    written = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n")
        for source in sources:
            with zipfile.ZipFile(source) as jar:
                for entry in jar.infolist():
                    name = entry.filename
                    if entry.is_dir() or name == "META-INF/MANIFEST.MF" or name.endswith("module-info.class"):
                        continue
                    data = jar.read(name)
                    if name.endswith(".class"):
                        name, data = relocate_path(name), relocate_class(data, name)
                    elif name.startswith("META-INF/services/"):
                        name, data = relocate_path(name), relocate_text(data)
                    elif name.startswith("META-INF/"):
                        continue  # licences, poms, Maven metadata: not needed at run time
                    if name in written:
                        raise ValueError(f"{source}: {name} already written by an earlier jar")
                    written.add(name)
                    out.writestr(name, data)
    print(f"relocate-jackson: {len(written)} entries into {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
