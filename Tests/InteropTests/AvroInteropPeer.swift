/// The Python side of the Avro interop tests: fastavro (with codec shims where the venv lacks cramjam and
/// backports.zstd) and PyIceberg. Records are dumped as canonical JSON that `AvroInteropTests` compares with its own
/// reading: logical types are not applied (fastavro's logical readers are removed), bytes
/// are `{"$bytes": hex}`, non-finite floats `{"$float": "nan" | "inf" | "-inf"}`, unions their value, enums their
/// symbol, records and maps objects in order.
enum AvroInteropPeer {
    static let script = #"""
        import datetime, decimal, glob, io, json, math, os, random, struct, sys, uuid, zlib
        import fastavro, fastavro._read as R, fastavro._write as W
        import pyarrow as pa, zstandard

        def read_long(fo):
            b = fo.read(1)[0]
            n, shift = b & 0x7F, 7
            while b & 0x80:
                b = fo.read(1)[0]
                n |= (b & 0x7F) << shift
                shift += 7
            return (n >> 1) ^ -(n & 1)

        def write_long(fo, n):
            u = ((n << 1) ^ (n >> 63)) & ((1 << 64) - 1)
            out = bytearray()
            while u >= 0x80:
                out.append((u & 0x7F) | 0x80)
                u >>= 7
            out.append(u)
            fo.write(bytes(out))

        def snappy_size(data):
            n, shift = 0, 0
            for b in data:
                n |= (b & 0x7F) << shift
                shift += 7
                if b < 0x80:
                    return n
            raise ValueError("bad snappy preamble")

        def snappy_read(fo):
            data = fo.read(read_long(fo))
            body, crc = data[:-4], struct.unpack(">I", data[-4:])[0]
            out = pa.decompress(body, decompressed_size=snappy_size(body), codec="snappy", asbytes=True)
            if zlib.crc32(out) != crc:
                raise ValueError("snappy CRC32 mismatch")
            return io.BytesIO(out)

        def snappy_write(fo, block, level):
            data = pa.compress(block, codec="snappy", asbytes=True) + struct.pack(">I", zlib.crc32(block))
            write_long(fo, len(data))
            fo.write(data)

        def zstd_read(fo):
            return io.BytesIO(zstandard.ZstdDecompressor().decompressobj().decompress(fo.read(read_long(fo))))

        def zstd_write(fo, block, level):
            data = zstandard.ZstdCompressor(level=level or 3).compress(block)
            write_long(fo, len(data))
            fo.write(data)

        def install_codecs():
            # fastavro leaves these to cramjam / backports.zstd; use shims only when they are missing.
            for name, reader, writer in (("snappy", snappy_read, snappy_write), ("zstandard", zstd_read, zstd_write)):
                if "missing" in getattr(R.BLOCK_READERS[name], "__qualname__", ""):
                    R.BLOCK_READERS[name] = reader
                    W.BLOCK_WRITERS[name] = writer

        def canon(v):
            if isinstance(v, (bytes, bytearray)):
                return {"$bytes": bytes(v).hex()}
            if isinstance(v, float) and not math.isfinite(v):
                return {"$float": "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}
            if isinstance(v, dict):
                return {k: canon(x) for k, x in v.items()}
            if isinstance(v, list):
                return [canon(x) for x in v]
            return v

        def dump(path):
            # Without logical readers fastavro returns the underlying values (ints, bytes, strings).
            R.LOGICAL_READERS.clear()
            with open(path, "rb") as f:
                reader = fastavro.reader(f)
                records = [canon(r) for r in reader]
                metadata = {k: v for k, v in reader.metadata.items() if not k.startswith("avro.")}
                return {"codec": reader.codec, "metadata": metadata, "records": records}

        SCHEMA = {"type": "record", "name": "everything", "namespace": "amoro.test", "fields": [
            {"name": "n", "type": "null"},
            {"name": "b", "type": "boolean"},
            {"name": "i", "type": "int"},
            {"name": "l", "type": "long"},
            {"name": "f", "type": "float"},
            {"name": "d", "type": "double"},
            {"name": "by", "type": "bytes"},
            {"name": "s", "type": "string"},
            {"name": "e", "type": {"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"]}},
            {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
            {"name": "a", "type": {"type": "array", "items": "long"}},
            {"name": "m", "type": {"type": "map", "values": ["null", "double"]}},
            {"name": "u", "type": ["null", "string", "long"]},
            {"name": "u2", "type": ["long", "null"]},
            {"name": "rec", "type": {"type": "record", "name": "Inner", "fields": [
                {"name": "x", "type": "int"}, {"name": "suit", "type": "Suit"}]}},
            {"name": "recs", "type": {"type": "array", "items": "Inner"}},
            {"name": "date", "type": {"type": "int", "logicalType": "date"}},
            {"name": "tmil", "type": {"type": "int", "logicalType": "time-millis"}},
            {"name": "tmic", "type": {"type": "long", "logicalType": "time-micros"}},
            {"name": "tsmil", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "tsmic", "type": {"type": "long", "logicalType": "timestamp-micros"}},
            {"name": "tsnan", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
            {"name": "ltsmil", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
            {"name": "ltsmic", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
            {"name": "ltsnan", "type": {"type": "long", "logicalType": "local-timestamp-nanos"}},
            {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
            {"name": "decf", "type": {"type": "fixed", "name": "Dec8", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 4}},
            {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "uuidf", "type": {"type": "fixed", "name": "Uuid16", "size": 16, "logicalType": "uuid"}},
            {"name": "next", "type": ["null", "everything"]},
        ]}

        def rows(count):
            r = random.Random(7)
            utc = datetime.timezone.utc
            def row(depth):
                return {
                    "n": None, "b": r.random() < 0.5,
                    "i": r.choice([-2**31, 2**31 - 1, 0, r.randint(-1000, 1000)]),
                    "l": r.choice([-2**63, 2**63 - 1, 0, r.randint(-10**12, 10**12)]),
                    "f": r.choice([float("nan"), float("inf"), -0.0, 1.5, r.uniform(-1e3, 1e3)]),
                    "d": r.choice([float("nan"), float("-inf"), 5e-324, 1.7976931348623157e308, r.uniform(-1e9, 1e9)]),
                    "by": bytes(r.randrange(256) for _ in range(r.randrange(0, 12))),
                    "s": r.choice(["", "héllo 🌍", "a\u0000b", "x" * r.randrange(0, 50)]),
                    "e": r.choice(["SPADES", "HEARTS", "DIAMONDS", "CLUBS"]),
                    "fx": bytes(r.randrange(256) for _ in range(4)),
                    "a": [r.randint(-2**63, 2**63 - 1) for _ in range(r.randrange(0, 6))],
                    "m": {f"k{j}": (None if r.random() < 0.3 else r.uniform(-1, 1)) for j in range(r.randrange(0, 4))},
                    "u": r.choice([None, "text", r.randint(-5, 5)]),
                    "u2": r.choice([None, 42]),
                    "rec": {"x": r.randint(-9, 9), "suit": "CLUBS"},
                    "recs": [{"x": j, "suit": "HEARTS"} for j in range(r.randrange(0, 3))],
                    "date": r.choice([datetime.date(2024, 2, 29), r.randint(-10**5, 10**5)]),
                    "tmil": r.choice([datetime.time(23, 59, 59, 999000), r.randint(0, 86399999)]),
                    "tmic": r.choice([datetime.time(12, 0, 0, 1), r.randint(0, 86399999999)]),
                    "tsmil": r.choice([datetime.datetime(2020, 1, 1, tzinfo=utc), r.randint(-10**13, 10**13)]),
                    "tsmic": r.choice([datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=utc), r.randint(-10**16, 10**16)]),
                    "tsnan": r.randint(-2**63, 2**63 - 1),
                    "ltsmil": r.randint(-10**13, 10**13),
                    "ltsmic": r.choice([datetime.datetime(2001, 2, 3, 4, 5, 6, 7), r.randint(-10**16, 10**16)]),
                    "ltsnan": r.randint(-2**63, 2**63 - 1),
                    "dec": decimal.Decimal(r.randint(-10**10 + 1, 10**10 - 1)).scaleb(-2),
                    "decf": decimal.Decimal(r.randint(-10**18 + 1, 10**18 - 1)).scaleb(-4),
                    "uuid": str(uuid.UUID(int=r.getrandbits(128))),
                    "uuidf": uuid.UUID(int=r.getrandbits(128)).bytes,
                    "next": None if depth >= 2 or r.random() < 0.6 else row(depth + 1),
                }
            return [row(0) for _ in range(count)]

        def negative_blocks(path):
            # fastavro writes positive block counts only, so this container file is written by hand: arrays and maps
            # in blocks with negative counts followed by byte sizes. fastavro then reads it for the dump.
            schema = {"type": "record", "name": "blocks", "fields": [
                {"name": "a", "type": {"type": "array", "items": "long"}},
                {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "string"}}}]}
            def longs(values):
                out = io.BytesIO()
                for v in values:
                    write_long(out, v)
                return out.getvalue()
            def sized(items):
                out = io.BytesIO()
                for chunk in items:
                    write_long(out, -len(chunk))
                    body = b"".join(chunk)
                    write_long(out, len(body))
                    out.write(body)
                write_long(out, 0)
                return out.getvalue()
            def text(s):
                return longs([len(s.encode())]) + s.encode()
            records = io.BytesIO()
            for i in range(5):
                array = sized([[longs([i * 1000 + j]) for j in range(k, k + 3)] for k in range(0, 3 * i, 3)])
                inner = sized([[text(f"v{i}{j}") for j in range(2)], [text("last")]])
                records.write(array + sized([[text(f"k{i}") + inner, text("empty") + longs([0])]]))
            sync = bytes(range(16))
            out = io.BytesIO()
            out.write(b"Obj\x01")
            write_long(out, 2)
            for key, value in (("avro.schema", json.dumps(schema).encode()), ("avro.codec", b"null")):
                out.write(text(key) + longs([len(value)]) + value)
            write_long(out, 0)
            out.write(sync)
            write_long(out, 5)
            write_long(out, len(records.getvalue()))
            out.write(records.getvalue() + sync)
            with open(path, "wb") as f:
                f.write(out.getvalue())
            return dump(path)

        def iceberg(directory):
            from pyiceberg.catalog.sql import SqlCatalog
            catalog = SqlCatalog("amoro", uri=f"sqlite:///{directory}/catalog.db", warehouse=f"file://{directory}")
            catalog.create_namespace("db")
            table = catalog.create_table("db.t", schema=pa.schema([("id", pa.int64()), ("name", pa.string())]))
            table.append(pa.table({"id": [1, 2, 3], "name": ["a", "b", None]}))
            table.append(pa.table({"id": [4], "name": ["d"]}))
            files = sorted(glob.glob(f"{directory}/**/metadata/*.avro", recursive=True))
            return {p: dump(p) for p in files}

        install_codecs()
        mode = sys.argv[1]
        if mode == "write":
            path, codec = sys.argv[2], sys.argv[3]
            with open(path, "wb") as f:
                fastavro.writer(f, SCHEMA, rows(300), codec=codec, sync_interval=4000,
                                metadata={"format-version": "2", "schema": '{"type":"struct"}'})
            print(json.dumps(dump(path)))
        elif mode == "dump":
            print(json.dumps(dump(sys.argv[2])))
        elif mode == "schema":
            print(json.dumps(SCHEMA))
        elif mode == "iceberg":
            print(json.dumps(iceberg(sys.argv[2])))
        elif mode == "negative-blocks":
            print(json.dumps(negative_blocks(sys.argv[2])))
        elif mode == "codecs":
            print(json.dumps({n: "missing" not in getattr(f, "__qualname__", "") for n, f in R.BLOCK_READERS.items()}))
        """#
}
