import IcebergSpec
import Testing

@Suite struct LiteralTests {
    @Test func binaryFormsFollowAppendixD() throws {
        #expect(Literal.int(1).binary == [1, 0, 0, 0])
        #expect(Literal.long(-2).binary == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(Literal.boolean(true).binary == [1])
        #expect(Literal.string("ab").binary == [0x61, 0x62])
        #expect(Literal.decimal(unscaled: 1420, precision: 9, scale: 2).binary == [0x05, 0x8C])
        #expect(Literal.decimal(unscaled: -1, precision: 9, scale: 2).binary == [0xFF])
        #expect(Literal.decimal(unscaled: 128, precision: 9, scale: 0).binary == [0x00, 0x80])
        #expect(Literal.decimal(unscaled: -129, precision: 9, scale: 0).binary == [0xFF, 0x7F])
        #expect(Literal.double(1).binary == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func valuesRoundTripThroughBinary() throws {
        let cases: [(Literal, PrimitiveType)] = [
            (.boolean(false), .boolean), (.int(Int32.min), .int), (.long(Int64.max), .long), (.float(-0.0), .float),
            (.double(.infinity), .double), (.date(-5), .date), (.time(86_399_999_999), .time),
            (.timestamp(-1), .timestamp), (.timestamptzNs(1), .timestamptzNs), (.string("é🧊"), .string),
            (.uuid(Array(0..<16)), .uuid), (.fixed([9, 9, 9]), .fixed(length: 3)), (.binary([]), .binary),
            (.decimal(unscaled: Int128(Int64.min) * 1_000_000, precision: 38, scale: 10), .decimal(precision: 38, scale: 10)),
        ]
        for (value, type) in cases {
            #expect(try Literal(binary: value.binary, type: type) == value, "\(value)")
        }
    }

    @Test func promotedBoundsAreReadAsTheSpecSays() throws {
        #expect(try Literal(binary: Literal.int(7).binary, type: .long) == .long(7))
        #expect(try Literal(binary: Literal.float(1.5).binary, type: .double) == .double(1.5))
        #expect(try Literal(binary: Literal.date(1).binary, type: .timestamp) == .timestamp(86_400_000_000))
    }

    @Test func impossibleBytesAreErrors() {
        #expect(throws: IcebergSpecError.self) { try Literal(binary: [1, 2, 3], type: .int) }
        #expect(throws: IcebergSpecError.self) { try Literal(binary: [0xFF], type: .string) }
        #expect(throws: IcebergSpecError.self) { try Literal(binary: [1], type: .uuid) }
        #expect(throws: IcebergSpecError.self) { try Literal(binary: Array(repeating: 1, count: 17), type: .decimal(precision: 38, scale: 0)) }
    }
}
