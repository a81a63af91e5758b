import ByteCoding
import Foundation
import Parquet
import TestSupport
import Testing

/// Page payloads written by pyarrow, sliced out of a real file, decoded with our decoders (and, where the encoding
/// leaves the writer no choice, compared byte for byte with our encoders' output).
@Suite(.enabled(if: Peers.isAvailable)) struct PyarrowKnownAnswerTests {
    /// One page as `pyarrowPagesScript` reports it.
    struct Page: Decodable {
        let type: Int
        let payload: String
        let numValues: Int
        let encoding: Int32
        let numNulls: Int?
        let definitionBytes: Int?
        let repetitionBytes: Int?

        var bytes: [UInt8] {
            var bytes = [UInt8]()
            var high: UInt8?
            for character in payload.utf8 {
                let nibble = character <= 57 ? character - 48 : character - 87
                if let first = high {
                    bytes.append(first << 4 | nibble)
                    high = nil
                } else {
                    high = nibble
                }
            }
            return bytes
        }
    }

    /// A column written by pyarrow: its physical type, the encoding pyarrow was asked for and how pages are laid out.
    struct Column: Sendable, CustomStringConvertible {
        let type: PhysicalType
        let encoding: String
        var pageVersion = "1.0"
        var withNulls = false
        var description: String { "\(type) \(encoding) v\(pageVersion)\(withNulls ? " with nulls" : "")" }
    }

    static let count = 3000
    static let nullEvery = 7

    static let columns: [Column] = {
        let plain = PhysicalType.allCases.map { Column(type: $0, encoding: "PLAIN") }
        let dictionary = [PhysicalType.int32, .int64, .int96, .float, .double, .byteArray, .fixedLenByteArray]
            .map { Column(type: $0, encoding: "DICTIONARY") }
        let others = [
            Column(type: .boolean, encoding: "RLE"),
            Column(type: .int32, encoding: "DELTA_BINARY_PACKED"), Column(type: .int64, encoding: "DELTA_BINARY_PACKED"),
            Column(type: .byteArray, encoding: "DELTA_LENGTH_BYTE_ARRAY"),
            Column(type: .byteArray, encoding: "DELTA_BYTE_ARRAY"),
            Column(type: .fixedLenByteArray, encoding: "DELTA_BYTE_ARRAY"),
            Column(type: .float, encoding: "BYTE_STREAM_SPLIT"), Column(type: .double, encoding: "BYTE_STREAM_SPLIT"),
            Column(type: .int32, encoding: "BYTE_STREAM_SPLIT"), Column(type: .int64, encoding: "BYTE_STREAM_SPLIT"),
            Column(type: .fixedLenByteArray, encoding: "BYTE_STREAM_SPLIT"),
        ]
        return (plain + dictionary + others).flatMap { column in
            [column, Column(type: column.type, encoding: column.encoding, pageVersion: "1.0", withNulls: true),
             Column(type: column.type, encoding: column.encoding, pageVersion: "2.0", withNulls: true)]
        }
    }()

    /// Test values that pyarrow can take: INT96 comes from non-negative nanosecond timestamps.
    static func values(_ type: PhysicalType, count: Int) -> ColumnValues {
        if type == .int96 {
            let nanosPerDay: Int64 = 86_400_000_000_000
            var random = SeededGenerator(seed: 96)
            return .int96((0..<count).map { _ in
                let nanos = Int64.random(in: 0...(4_000_000_000_000_000_000), using: &random)
                return Int96(nanosecondsOfDay: UInt64(nanos % nanosPerDay), julianDay: UInt32(2_440_588 + nanos / nanosPerDay))
            })
        }
        return EncodingSamples.values(type, count: count)
    }

    /// The values as the strings the script reads.
    static func strings(_ values: ColumnValues) -> [String] {
        func hex(_ bytes: some Collection<UInt8>) -> String {
            bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
        switch values {
        case .boolean(let v): return v.map { $0 ? "1" : "0" }
        case .int32(let v): return v.map(String.init)
        case .int64(let v): return v.map(String.init)
        case .int96(let v):
            return v.map { String(Int64($0.julianDay - 2_440_588) * 86_400_000_000_000 + Int64($0.nanosecondsOfDay)) }
        case .float(let v): return v.map { String($0.bitPattern) }
        case .double(let v): return v.map { String($0.bitPattern) }
        case .byteArray(let v): return (0..<v.count).map { hex(v[$0]) }
        case .fixedLenByteArray(let v): return (0..<v.count).map { hex(v[$0]) }
        }
    }

    /// Has pyarrow write `values` (with every `nullEvery`-th one null if asked) and returns the column's pages.
    static func pages(_ values: ColumnValues, _ column: Column, pageSize: Int = 8192) throws -> [Page] {
        var spec: [String: Any] = [
            "type": "\(column.type)", "values": strings(values), "encoding": column.encoding,
            "pageVersion": column.pageVersion, "pageSize": pageSize, "width": EncodingSamples.fixedWidth,
        ]
        if column.withNulls { spec["nulls"] = Array(stride(from: 0, to: values.count, by: nullEvery)) }
        let input = try JSONSerialization.data(withJSONObject: spec)
        let output = try Fixtures.withTemporaryDirectory("amoro-encodings") { directory in
            try Peers.python(pyarrowPagesScript, arguments: [directory.appendingPathComponent("c.parquet").path], input: input)
        }
        return try JSONDecoder().decode([Page].self, from: output)
    }

    /// Decodes the pages with the library's level and value decoders.
    static func decode(_ pages: [Page], type: PhysicalType, maxLevel: Int16) throws -> (ColumnValues, [Int16]) {
        let typeLength = EncodingSamples.typeLength(type)
        var values = try ColumnValues.empty(type, typeLength: typeLength)
        var levels: [Int16] = []
        var dictionary: ColumnValues?
        for page in pages {
            let bytes = page.bytes
            let encoding = try #require(Encoding(rawValue: page.encoding))
            try bytes.withUnsafeBytes { buffer throws in
                if page.type == 2 {
                    dictionary = try ValueDecoder.decodeDictionary(buffer, type: type, typeLength: typeLength, count: page.numValues)
                    return
                }
                var valueStart = 0
                var nonNull = page.numValues
                let before = levels.count
                if page.type == 3 {
                    let repetition = try #require(page.repetitionBytes)
                    let definition = try #require(page.definitionBytes)
                    if maxLevel > 0 {
                        try LevelDecoder.decodeHybrid(UnsafeRawBufferPointer(rebasing: buffer[repetition..<repetition + definition]),
                            bitWidth: 1, count: page.numValues, maxLevel: maxLevel, into: &levels)
                    }
                    valueStart = repetition + definition
                    nonNull = page.numValues - (page.numNulls ?? 0)
                } else if maxLevel > 0 {
                    let length = Int(buffer.loadUnaligned(as: UInt32.self))
                    try LevelDecoder.decodeHybrid(UnsafeRawBufferPointer(rebasing: buffer[4..<4 + length]),
                        bitWidth: 1, count: page.numValues, maxLevel: maxLevel, into: &levels)
                    valueStart = 4 + length
                    nonNull = levels[before...].count { $0 == maxLevel }
                }
                let valueBytes = UnsafeRawBufferPointer(rebasing: buffer[valueStart...])
                if encoding == .rleDictionary || encoding == .plainDictionary {
                    let dictionary = try #require(dictionary)
                    try ValueDecoder.decodeDictionaryIndices(valueBytes, count: nonNull, dictionary: dictionary, into: &values)
                } else {
                    let consumed = try ValueDecoder.decode(valueBytes, encoding: encoding, type: type, typeLength: typeLength,
                        count: nonNull, into: &values)
                    #expect(consumed == valueBytes.count)
                }
            }
        }
        return (values, levels)
    }

    @Test(arguments: columns)
    func decodesPyarrowPages(_ column: Column) throws {
        let values = Self.values(column.type, count: Self.count)
        let pages = try Self.pages(values, column)
        #expect(pages.contains { $0.type != 2 })
        let (decoded, levels) = try Self.decode(pages, type: column.type, maxLevel: column.withNulls ? 1 : 0)
        if column.withNulls {
            let expectedLevels = (0..<Self.count).map { Int16($0 % Self.nullEvery == 0 ? 0 : 1) }
            #expect(levels == expectedLevels)
            let kept = (0..<Self.count).filter { $0 % Self.nullEvery != 0 }
            let expected = kept.reduce(into: try ColumnValues.empty(column.type, typeLength: EncodingSamples.typeLength(column.type))) {
                result, index in result = Self.appending(result, EncodingSamples.slice(values, index..<index + 1))
            }
            #expect(EncodingSamples.same(decoded, expected))
        } else {
            #expect(EncodingSamples.same(decoded, values))
        }
    }

    /// `left` followed by `right`, by re-encoding both as PLAIN (the tests' simple concatenation).
    static func appending(_ left: ColumnValues, _ right: ColumnValues) -> ColumnValues {
        var writer = ByteWriter()
        try! ValueEncoder.encode(right, range: 0..<right.count, encoding: .plain, into: &writer)
        var result = left
        writer.bytes.withUnsafeBytes { buffer in
            _ = try! ValueDecoder.decode(buffer, encoding: .plain, type: left.physicalType,
                typeLength: EncodingSamples.typeLength(left.physicalType), count: right.count, into: &result)
        }
        return result
    }

    /// Encodings without writer choices give the same bytes as pyarrow for a single page. (Arrow writes INT64
    /// DELTA_BINARY_PACKED in blocks of 256 values where parquet-mr and this library use 128, so it is left out.)
    @Test(arguments: columns.filter {
        !$0.withNulls && !["DICTIONARY", "RLE"].contains($0.encoding)
            && !($0.encoding == "DELTA_BINARY_PACKED" && $0.type == .int64)
    })
    func encodesLikePyarrow(_ column: Column) throws {
        let values = Self.values(column.type, count: 1000)
        let pages = try Self.pages(values, column, pageSize: 1 << 24)
        try #require(pages.count == 1)
        var writer = ByteWriter()
        let encoding = try #require(Encoding(rawValue: pages[0].encoding))
        try ValueEncoder.encode(values, range: 0..<values.count, encoding: encoding, into: &writer)
        #expect(writer.bytes == pages[0].bytes)
    }
}

/// Writes one column with pyarrow (values and options as JSON on standard input), then walks the column chunk's
/// Thrift page headers and prints each page's header fields and raw payload as JSON.
let pyarrowPagesScript = #"""
import json, struct, sys
import pyarrow as pa, pyarrow.parquet as pq

spec = json.load(sys.stdin)
kind, raw = spec["type"], spec["values"]
nulls = set(spec.get("nulls", []))
def convert(v):
    if kind in ("int32", "int64", "int96"): return int(v)
    if kind == "float": return struct.unpack("<f", struct.pack("<I", int(v)))[0]
    if kind == "double": return struct.unpack("<d", struct.pack("<Q", int(v)))[0]
    if kind == "boolean": return v == "1"
    return bytes.fromhex(v)
values = [None if i in nulls else convert(v) for i, v in enumerate(raw)]
types = {"boolean": pa.bool_(), "int32": pa.int32(), "int64": pa.int64(), "float": pa.float32(),
         "double": pa.float64(), "byteArray": pa.binary(), "int96": pa.timestamp("ns")}
typ = pa.binary(spec["width"]) if kind == "fixedLenByteArray" else types[kind]
field = pa.field("c", typ, nullable=bool(nulls) or spec.get("nullable", False))
if kind in ("float", "double"):
    # From raw bits, so NaN payloads survive (a Python float would quiet signalling NaNs).
    data = struct.pack(("<%dI" if kind == "float" else "<%dQ") % len(raw), *[int(v) for v in raw])
    validity = None
    if nulls:
        bitmap = bytearray((len(raw) + 7) // 8)
        for i in range(len(raw)):
            if i not in nulls: bitmap[i // 8] |= 1 << (i % 8)
        validity = pa.py_buffer(bytes(bitmap))
    array = pa.Array.from_buffers(typ, len(raw), [validity, pa.py_buffer(data)], null_count=len(nulls))
else:
    array = pa.array(values, type=typ)
table = pa.table({"c": array}, schema=pa.schema([field]))
options = dict(compression="NONE", write_statistics=False, data_page_version=spec.get("pageVersion", "1.0"),
               data_page_size=spec.get("pageSize", 1 << 20))
if spec["encoding"] == "DICTIONARY":
    options["use_dictionary"] = True
else:
    options["use_dictionary"] = False
    options["column_encoding"] = {"c": spec["encoding"]}
if kind == "int96":
    options["use_deprecated_int96_timestamps"] = True
path = sys.argv[1]
pq.write_table(table, path, **options)

def varint(b, i):
    shift = result = 0
    while True:
        byte = b[i]; i += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80: return result, i
        shift += 7
def zigzag(n): return (n >> 1) ^ -(n & 1)
def value(b, i, t):
    if t in (1, 2): return t == 1, i
    if t == 3: return b[i], i + 1
    if t in (4, 5, 6):
        n, i = varint(b, i); return zigzag(n), i
    if t == 7: return struct.unpack_from("<d", b, i)[0], i + 8
    if t == 8:
        n, i = varint(b, i); return b[i:i + n], i + n
    if t in (9, 10):
        header = b[i]; i += 1
        size, et = header >> 4, header & 0x0F
        if size == 15: size, i = varint(b, i)
        out = []
        for _ in range(size):
            v, i = value(b, i, et); out.append(v)
        return out, i
    if t == 11:
        size, i = varint(b, i)
        if size == 0: return {}, i
        kv = b[i]; i += 1
        out = {}
        for _ in range(size):
            k, i = value(b, i, kv >> 4); v, i = value(b, i, kv & 0x0F); out[k] = v
        return out, i
    if t == 12: return struct_(b, i)
    raise ValueError(t)
def struct_(b, i):
    fields, last = {}, 0
    while True:
        byte = b[i]; i += 1
        if byte == 0: return fields, i
        t, delta = byte & 0x0F, byte >> 4
        if delta == 0:
            n, i = varint(b, i); fid = zigzag(n)
        else:
            fid = last + delta
        last = fid
        fields[fid], i = value(b, i, t)

column = pq.ParquetFile(path).metadata.row_group(0).column(0)
start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
data = open(path, "rb").read()
position, end, pages = start, start + column.total_compressed_size, []
while position < end:
    header, body = struct_(data, position)
    size = header[3]
    page = {"type": header[1], "payload": data[body:body + size].hex()}
    if 5 in header: page.update(numValues=header[5][1], encoding=header[5][2])
    if 7 in header: page.update(numValues=header[7][1], encoding=header[7][2])
    if 8 in header:
        h = header[8]
        page.update(numValues=h[1], numNulls=h[2], encoding=h[4], definitionBytes=h[5], repetitionBytes=h[6])
    pages.append(page)
    position = body + size
json.dump(pages, sys.stdout)
"""#
