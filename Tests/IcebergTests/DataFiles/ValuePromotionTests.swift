import Iceberg
import IcebergSpec
import Parquet
import Testing

@Suite struct ValuePromotionTests {
    static func column(_ type: PrimitiveType) throws -> ColumnDescriptor {
        let schema = Schema(schemaId: 0, fields: [NestedField(id: 1, name: "c", isRequired: false, type: .primitive(type))])
        return try IcebergParquetSchema.parquetSchema(for: schema).columns[0]
    }

    static func stored(_ physical: PhysicalType, width: Int = 0, precision: Int32, scale: Int32) throws -> ColumnDescriptor {
        try ParquetSchema([.primitive("c", physical, typeLength: width,
            logicalType: .decimal(precision: precision, scale: scale), fieldID: 1)]).columns[0]
    }

    @Test func decimalsStoredAsFixedOrBinaryBecomeIntegers() throws {
        let fixed = FixedLengthByteArrays(width: 6, data: [0, 0, 0, 0, 0x30, 0x39, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFB])
        let long = try ValuePromotion.convert(.fixedLenByteArray(fixed),
            from: try Self.stored(.fixedLenByteArray, width: 6, precision: 12, scale: 2), to: try Self.column(.decimal(precision: 12, scale: 2)),
            path: "f")
        #expect(long == .int64([12345, -5]))
        let binary = ByteArrays(offsets: [0, 1, 3, 12], data: [0x85, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x85])
        let int = try ValuePromotion.convert(.byteArray(binary),
            from: try Self.stored(.byteArray, precision: 9, scale: 0), to: try Self.column(.decimal(precision: 9, scale: 0)),
            path: "f")
        #expect(int == .int32([-123, 256, -123]))
        // Too wide for the table's precision: a clean error.
        let huge = FixedLengthByteArrays(width: 9, data: [0, 0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: DataFileError.self) {
            try ValuePromotion.convert(.fixedLenByteArray(huge),
                from: try Self.stored(.fixedLenByteArray, width: 9, precision: 20, scale: 0),
                to: try Self.column(.decimal(precision: 18, scale: 0)), path: "f")
        }
    }

    @Test func promotionsAndWidening() throws {
        #expect(try ValuePromotion.convert(.int32([1, -2]), from: try Self.column(.int), to: try Self.column(.long), path: "f")
            == .int64([1, -2]))
        #expect(try ValuePromotion.convert(.float([1.5]), from: try Self.column(.float), to: try Self.column(.double), path: "f")
            == .double([1.5]))
        let widened = try ValuePromotion.convert(.int32([-2, 3]), from: try Self.column(.decimal(precision: 9, scale: 2)),
            to: try Self.column(.decimal(precision: 20, scale: 2)), path: "f")
        #expect(widened == .fixedLenByteArray(FixedLengthByteArrays(width: 9,
            data: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 0, 0, 0, 0, 0, 3])))
        let millis = try ParquetSchema([.primitive("c", .int64, logicalType: .timestamp(isAdjustedToUTC: true, unit: .millis),
            fieldID: 1)]).columns[0]
        #expect(try ValuePromotion.convert(.int64([2]), from: millis, to: try Self.column(.timestamptz), path: "f")
            == .int64([2_000]))
        #expect(throws: DataFileError.self) {
            try ValuePromotion.convert(.byteArray(ByteArrays()), from: try Self.column(.string), to: try Self.column(.long), path: "f")
        }
        // INT96: 1970-01-02 00:00:01 as Julian day and nanoseconds; a day far outside INT64 is an error, not a trap.
        let int96 = try ParquetSchema([.primitive("c", .int96, fieldID: 1)]).columns[0]
        #expect(try ValuePromotion.convert(.int96([Int96(nanosecondsOfDay: 1_000_000_000, julianDay: 2_440_589)]),
            from: int96, to: try Self.column(.timestamp), path: "f") == .int64([86_401_000_000]))
        #expect(throws: DataFileError.self) {
            try ValuePromotion.convert(.int96([Int96(nanosecondsOfDay: 0, julianDay: .max)]), from: int96,
                to: try Self.column(.timestamp), path: "f")
        }
    }
}
