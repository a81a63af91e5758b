import Foundation
import Paimon
import Testing

@Suite struct BinaryRowTests {
    /// The serialized partition pypaimon writes for `dt = 'a'`: arity 1, an 8-byte null bitset, the value inline.
    @Test func readsAnInlineString() throws {
        let bytes: [UInt8] = [0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0, 0] + [0x61, 0, 0, 0, 0, 0, 0, 0x81]
        let row = try BinaryRow(serialized: bytes)
        #expect(row.arity == 1)
        #expect(try row.value(0, type: PaimonDataType(text: "STRING")) == .string("a"))
    }

    /// A string longer than 7 bytes lives in the variable part; the slot holds offset (high word) and length.
    @Test func readsAVariableLengthString() throws {
        let text = Array("2024-01-01".utf8)
        var bytes: [UInt8] = [0, 0, 0, 1] + [UInt8](repeating: 0, count: 8)
        bytes += [UInt8(text.count), 0, 0, 0, 16, 0, 0, 0] + text + [0, 0, 0, 0, 0, 0]
        let row = try BinaryRow(serialized: bytes)
        #expect(try row.value(0, type: PaimonDataType(text: "VARCHAR(20)")) == .string("2024-01-01"))
    }

    @Test func readsNumbersNullsAndDecimals() throws {
        // Fields: BIGINT 1, INT -2 (null bit set for field 2), DECIMAL(10, 2) 12345 unscaled.
        var bytes: [UInt8] = [0, 0, 0, 3] + [0, 0b0000_0100 << 0, 0, 0, 0, 0, 0, 0]
        bytes[4 + 1] = 1 << 2  // bit 10 = field 2 null
        bytes += [1, 0, 0, 0, 0, 0, 0, 0]
        bytes += [0xFE, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]
        bytes += [0x39, 0x30, 0, 0, 0, 0, 0, 0]
        let row = try BinaryRow(serialized: bytes)
        #expect(try row.value(0, type: PaimonDataType(text: "BIGINT NOT NULL")) == .long(1))
        #expect(try row.value(1, type: PaimonDataType(text: "INT")) == .long(-2))
        #expect(try row.value(2, type: PaimonDataType(text: "DECIMAL(10, 2)")) == nil)
        bytes[4 + 1] = 0
        let unset = try BinaryRow(serialized: bytes)
        #expect(try unset.value(2, type: PaimonDataType(text: "DECIMAL(10, 2)"))?.description == "123.45")
    }

    @Test func refusesTruncatedAndOutOfRangeRows() throws {
        #expect(throws: PaimonError.self) { try BinaryRow(serialized: [0, 0]) }
        #expect(throws: PaimonError.self) { try BinaryRow(serialized: [0, 0, 0, 2] + [UInt8](repeating: 0, count: 10)) }
        // A slot pointing past the row.
        let bytes: [UInt8] = [0, 0, 0, 1] + [UInt8](repeating: 0, count: 8) + [10, 0, 0, 0, 200, 0, 0, 0]
        let row = try BinaryRow(serialized: bytes)
        #expect(throws: PaimonError.self) { try row.value(0, type: PaimonDataType(text: "STRING")) }
        #expect(throws: PaimonError.self) { try row.value(3, type: PaimonDataType(text: "STRING")) }
    }

    @Test func rendersPartitionPathsAsPaimonDoes() throws {
        let options = try PaimonOptions([:], hasPrimaryKey: false)
        let types = [(name: "dt", type: try PaimonDataType(text: "STRING")), (name: "h", type: try PaimonDataType(text: "INT"))]
        var bytes: [UInt8] = [0, 0, 0, 2] + [UInt8](repeating: 0, count: 8)
        bytes += [0x61, 0x2F, 0x62, 0, 0, 0, 0, 0x83]  // "a/b"
        bytes += [7, 0, 0, 0, 0, 0, 0, 0]
        #expect(try PartitionPath.render(bytes, types: types, options: options) == "dt=a%2Fb/h=7")
        var empty: [UInt8] = [0, 0, 0, 2] + [0, 0b0000_0001, 0, 0, 0, 0, 0, 0]  // field 0 null (bit 8)
        empty += [UInt8](repeating: 0, count: 8) + [3, 0, 0, 0, 0, 0, 0, 0]
        #expect(try PartitionPath.render(empty, types: types, options: options) == "dt=__DEFAULT_PARTITION__/h=3")
        let dates = [(name: "d", type: try PaimonDataType(text: "DATE"))]
        let day: [UInt8] = [0, 0, 0, 1] + [UInt8](repeating: 0, count: 8) + [0x1E, 0x4D, 0, 0, 0, 0, 0, 0]  // 19742
        #expect(try PartitionPath.render(day, types: dates, options: options) == "d=19742")
        let modern = try PaimonOptions(["partition.legacy-name": "false"], hasPrimaryKey: false)
        #expect(try PartitionPath.render(day, types: dates, options: modern) == "d=2024-01-20")
    }
}
