import ByteCoding
import Parquet
import Testing
import TestSupport


/// An encoding applied to one physical type, as a test argument.
struct EncodedType: Sendable, CustomStringConvertible {
    let encoding: Encoding
    let type: PhysicalType
    var description: String { "\(encoding) \(type)" }
}

/// Test data for every physical type: edge values first, then a mix of runs and random values.
enum EncodingSamples {
    static let fixedWidth = 5

    static func values(_ type: PhysicalType, count: Int, seed: UInt64 = 1) -> ColumnValues {
        var random = SeededGenerator(seed: seed &+ UInt64(count) &* 31 &+ UInt64(type.rawValue))
        switch type {
        case .boolean:
            return .boolean((0..<count).map { index in index % 50 < 20 ? true : Bool.random(using: &random) })
        case .int32:
            let edges: [Int32] = [.min, .max, 0, -1, 1, .max, .min]
            return .int32((0..<count).map { index in
                index < edges.count ? edges[index] : index % 300 < 40 ? 7 : Int32.random(in: .min ... .max, using: &random)
            })
        case .int64:
            let edges: [Int64] = [.min, .max, 0, -1, 1, .max, .min]
            return .int64((0..<count).map { index in
                index < edges.count ? edges[index] : index % 300 < 40 ? 7 : Int64.random(in: .min ... .max, using: &random)
            })
        case .int96:
            return .int96((0..<count).map { _ in
                Int96(nanosecondsOfDay: random.next(), julianDay: UInt32.random(in: 0 ... .max, using: &random))
            })
        case .float:
            let edges: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
            return .float((0..<count).map { index in
                index < edges.count ? edges[index] : Float(bitPattern: UInt32.random(in: 0 ... .max, using: &random))
            })
        case .double:
            let edges: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
            return .double((0..<count).map { index in
                index < edges.count ? edges[index] : Double(bitPattern: random.next())
            })
        case .byteArray:
            var arrays = ByteArrays()
            for index in 0..<count {
                let length = index == 3 ? 70_000 : index % 5 == 0 ? 0 : Int.random(in: 0...40, using: &random)
                let shared = index % 3 == 0 ? "prefix-" : ""
                arrays.append(Array(shared.utf8) + (0..<length).map { _ in UInt8.random(in: 0 ... .max, using: &random) })
            }
            return .byteArray(arrays)
        case .fixedLenByteArray:
            var arrays = FixedLengthByteArrays(width: fixedWidth)
            for index in 0..<count {
                arrays.append(index % 4 == 0 ? [1, 2, 3, 4, 5] : (0..<fixedWidth).map { _ in UInt8.random(in: 0 ... 3, using: &random) })
            }
            return .fixedLenByteArray(arrays)
        }
    }

    static func typeLength(_ type: PhysicalType) -> Int { type == .fixedLenByteArray ? fixedWidth : 0 }

    /// Equality that compares floating point by bit pattern (NaN equals itself, -0.0 differs from 0.0).
    static func same(_ left: ColumnValues, _ right: ColumnValues) -> Bool {
        switch (left, right) {
        case (.float(let a), .float(let b)): a.map(\.bitPattern) == b.map(\.bitPattern)
        case (.double(let a), .double(let b)): a.map(\.bitPattern) == b.map(\.bitPattern)
        default: left == right
        }
    }

    /// The sub-range `range` of `values` as its own vector.
    static func slice(_ values: ColumnValues, _ range: Range<Int>) -> ColumnValues {
        switch values {
        case .boolean(let v): .boolean(Array(v[range]))
        case .int32(let v): .int32(Array(v[range]))
        case .int64(let v): .int64(Array(v[range]))
        case .int96(let v): .int96(Array(v[range]))
        case .float(let v): .float(Array(v[range]))
        case .double(let v): .double(Array(v[range]))
        case .byteArray(let v):
            {
                var out = ByteArrays()
                for index in range { out.append(v[index]) }
                return .byteArray(out)
            }()
        case .fixedLenByteArray(let v):
            {
                var out = FixedLengthByteArrays(width: v.width)
                for index in range { out.append(v[index]) }
                return .fixedLenByteArray(out)
            }()
        }
    }

    /// Encodes `values` with `encoding`, decodes them back (appending to a vector that already holds one batch) and
    /// checks that the values and the consumed byte count agree.
    static func roundTrip(_ values: ColumnValues, encoding: Encoding) throws {
        let type = values.physicalType
        var writer = ByteWriter()
        try ValueEncoder.encode(values, range: 0..<values.count, encoding: encoding, into: &writer)
        var decoded = try ColumnValues.empty(type, typeLength: typeLength(type))
        try writer.bytes.withUnsafeBytes { buffer throws in
            let consumed = try ValueDecoder.decode(
                buffer, encoding: encoding, type: type, typeLength: typeLength(type), count: values.count, into: &decoded)
            #expect(consumed == buffer.count)
            // Decoding again appends behind the first batch.
            try ValueDecoder.decode(
                buffer, encoding: encoding, type: type, typeLength: typeLength(type), count: values.count, into: &decoded)
        }
        #expect(decoded.count == 2 * values.count)
        #expect(same(slice(decoded, 0..<values.count), values))
        #expect(same(slice(decoded, values.count..<2 * values.count), values))
    }
}
