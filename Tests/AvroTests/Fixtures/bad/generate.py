#!/usr/bin/env python3
"""Writes the bad-input corpus for AvroBadInputTests: each file breaks one rule of the Avro container format.

Standard library only; re-run with `python3 generate.py` in this folder. The files are deterministic.
"""
import json
import struct
import zlib

SYNC = bytes(range(16))


def zigzag(n):
    """An Avro long: zigzag, then a little-endian base-128 varint."""
    u = (n << 1) ^ (n >> 63)
    u &= (1 << 64) - 1
    out = bytearray()
    while u >= 0x80:
        out.append((u & 0x7F) | 0x80)
        u >>= 7
    out.append(u)
    return bytes(out)


def avro_bytes(b):
    return zigzag(len(b)) + b


def header(schema, codec="null", extra=None, sync=SYNC):
    meta = [("avro.schema", schema.encode() if isinstance(schema, str) else schema)]
    if codec is not None:
        meta.append(("avro.codec", codec.encode()))
    meta += extra or []
    out = b"Obj\x01" + zigzag(len(meta))
    for key, value in meta:
        out += avro_bytes(key.encode()) + avro_bytes(value)
    return out + zigzag(0) + sync


def block(count, data, sync=SYNC):
    return zigzag(count) + zigzag(len(data)) + data + sync


def snappy_literal(data):
    """A raw snappy stream holding `data` as one literal (len < 61)."""
    assert 0 < len(data) <= 60
    return varint(len(data)) + bytes([(len(data) - 1) << 2]) + data


def varint(u):
    out = bytearray()
    while u >= 0x80:
        out.append((u & 0x7F) | 0x80)
        u >>= 7
    out.append(u)
    return bytes(out)


def raw_deflate(data):
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


LONG = '"long"'
RECORD = json.dumps({"type": "record", "name": "r", "fields": [{"name": "id", "type": "long"}, {"name": "s", "type": "string"}]})
THREE = b"".join(zigzag(i) + avro_bytes(b"x" * i) for i in range(3))
LIST = json.dumps({"type": "record", "name": "Node", "fields": [{"name": "next", "type": ["null", "Node"]}]})

files = {
    "bad-magic.avro": b"Obj\x02" + header(LONG)[4:] + block(1, zigzag(1)),
    "not-avro-at-all.avro": b"PAR1\x00\x00\x00\x00PAR1",
    "empty-file.avro": b"",
    "truncated-header.avro": header(RECORD)[:30],
    "truncated-sync-marker.avro": header(LONG)[:-5],
    "metadata-length-past-end.avro": b"Obj\x01" + zigzag(1) + avro_bytes(b"avro.schema") + zigzag(1_000_000) + b'"long"',
    "metadata-negative-length.avro": b"Obj\x01" + zigzag(1) + zigzag(-5) + b"avro.schema",
    "metadata-count-past-end.avro": b"Obj\x01" + zigzag(1 << 40) + avro_bytes(b"k") + avro_bytes(b"v"),
    "missing-schema.avro": b"Obj\x01" + zigzag(1) + avro_bytes(b"avro.codec") + avro_bytes(b"null") + zigzag(0) + SYNC,
    "schema-invalid-json.avro": header('{"type": "record", "name": '),
    "schema-not-a-schema.avro": header('{"type": "record", "name": "r"}'),
    "schema-undefined-name.avro": header('{"type": "array", "items": "Missing"}'),
    "schema-deep-nesting.avro": header("[" * 5000 + '"long"' + "]" * 5000),
    "unknown-codec.avro": header(LONG, codec="lzma") + block(1, zigzag(1)),
    "bad-sync-marker.avro": header(LONG) + block(1, zigzag(1), sync=bytes(16)),
    "block-size-past-end.avro": header(LONG) + zigzag(1) + zigzag(1 << 30) + zigzag(1) + SYNC,
    "block-negative-size.avro": header(LONG) + zigzag(1) + zigzag(-4) + zigzag(1) + SYNC,
    "block-negative-count.avro": header(LONG) + block(-1, zigzag(1)),
    "block-count-too-high.avro": header(RECORD) + block(5, THREE),
    "block-count-too-low.avro": header(RECORD) + block(2, THREE),
    "block-count-huge.avro": header('"null"') + block(1 << 62, b""),
    "truncated-block.avro": (header(RECORD) + block(3, THREE))[:-20],
    "corrupt-deflate.avro": header(RECORD, codec="deflate") + block(3, b"\xff\xfe\xfd\xfc garbage"),
    "deflate-wrong-content.avro": header(RECORD, codec="deflate") + block(3, raw_deflate(b"\x02")),
    "corrupt-snappy.avro": header(RECORD, codec="snappy") + block(3, b"\x40\xff\xff\xff\xff" + struct.pack(">I", 0)),
    "snappy-crc-mismatch.avro": header(RECORD, codec="snappy") + block(3, snappy_literal(THREE) + struct.pack(">I", zlib.crc32(THREE) ^ 1)),
    "snappy-without-crc.avro": header(RECORD, codec="snappy") + block(3, b"\x01\x00"),
    "corrupt-zstandard.avro": header(RECORD, codec="zstandard") + block(3, b"\x28\xb5\x2f\xfd\x00\x58garbage-garbage"),
    "zstandard-not-a-frame.avro": header(RECORD, codec="zstandard") + block(3, b"plain text"),
    "union-index-out-of-range.avro": header('["null", "long"]') + block(1, zigzag(5) + zigzag(1)),
    "union-index-negative.avro": header('["null", "long"]') + block(1, zigzag(-1)),
    "enum-index-out-of-range.avro": header('{"type": "enum", "name": "e", "symbols": ["A", "B"]}') + block(1, zigzag(2)),
    "bad-boolean.avro": header('"boolean"') + block(1, b"\x02"),
    "int-out-of-range.avro": header('"int"') + block(1, zigzag(1 << 40)),
    "varint-too-long.avro": header(LONG) + block(1, b"\xff" * 10 + b"\x01"),
    "negative-string-length.avro": header('"string"') + block(1, zigzag(-3) + b"abc"),
    "huge-string-length.avro": header('"string"') + block(1, zigzag(1 << 62) + b"abc"),
    "huge-bytes-length.avro": header('"bytes"') + block(1, zigzag((1 << 63) - 1) + b"abc"),
    "invalid-utf8-string.avro": header('"string"') + block(1, avro_bytes(b"\xc3\x28")),
    "fixed-truncated.avro": header('{"type": "fixed", "name": "f", "size": 16}') + block(1, b"\x01\x02"),
    "huge-array-count.avro": header('{"type": "array", "items": "long"}') + block(1, zigzag(1 << 60) + zigzag(1)),
    "huge-negative-array-count.avro": header('{"type": "array", "items": "long"}') + block(1, zigzag(-(1 << 60)) + zigzag(1) + zigzag(1)),
    "array-block-size-past-end.avro": header('{"type": "array", "items": "long"}') + block(1, zigzag(-1) + zigzag(1 << 40) + zigzag(1) + zigzag(0)),
    "array-block-size-lies.avro": header('{"type": "array", "items": "long"}') + block(1, zigzag(-2) + zigzag(3) + zigzag(1) + zigzag(2) + zigzag(0)),
    "huge-null-array.avro": header('{"type": "array", "items": "null"}') + block(1, zigzag(1 << 40) + zigzag(0)),
    "huge-map-count.avro": header('{"type": "map", "values": "null"}') + block(1, zigzag(1 << 40) + zigzag(0)),
    "schema-infinite-recursion.avro": header('{"type": "record", "name": "R", "fields": [{"name": "r", "type": "R"}]}') + block(1, b""),
    "deep-recursion.avro": header(LIST) + block(1, zigzag(1) * 100_000 + zigzag(0)),
}

for name, content in files.items():
    with open(name, "wb") as f:
        f.write(content)
print(len(files), "files")
