import Iceberg
import IcebergSpec
import Parquet
import Testing

@Suite struct IcebergParquetSchemaTests {
    typealias T = DataFileTesting

    /// The smallest FIXED that holds every unscaled value of the precision: n bytes hold 10^p - 1 < 2^(8n-1).
    @Test(arguments: [(1, 1), (2, 1), (3, 2), (9, 4), (10, 5), (18, 8), (19, 9), (21, 9), (22, 10), (38, 16)])
    func decimalFixedWidths(precision: Int, bytes: Int) {
        #expect(IcebergParquetSchema.decimalBytes(precision: precision) == bytes)
    }

    @Test func primitiveMapping() throws {
        let types: [(PrimitiveType, PhysicalType, Int, LogicalType?)] = [
            (.boolean, .boolean, 0, nil), (.int, .int32, 0, nil), (.long, .int64, 0, nil), (.float, .float, 0, nil),
            (.double, .double, 0, nil), (.date, .int32, 0, .date),
            (.time, .int64, 0, .time(isAdjustedToUTC: false, unit: .micros)),
            (.timestamp, .int64, 0, .timestamp(isAdjustedToUTC: false, unit: .micros)),
            (.timestamptz, .int64, 0, .timestamp(isAdjustedToUTC: true, unit: .micros)),
            (.timestampNs, .int64, 0, .timestamp(isAdjustedToUTC: false, unit: .nanos)),
            (.timestamptzNs, .int64, 0, .timestamp(isAdjustedToUTC: true, unit: .nanos)),
            (.string, .byteArray, 0, .string), (.uuid, .fixedLenByteArray, 16, .uuid), (.binary, .byteArray, 0, nil),
            (.fixed(length: 7), .fixedLenByteArray, 7, nil),
            (.decimal(precision: 9, scale: 2), .int32, 0, .decimal(precision: 9, scale: 2)),
            (.decimal(precision: 18, scale: 0), .int64, 0, .decimal(precision: 18, scale: 0)),
            (.decimal(precision: 38, scale: 10), .fixedLenByteArray, 16, .decimal(precision: 38, scale: 10)),
        ]
        let schema = Schema(schemaId: 0, fields: types.enumerated().map { index, entry in
            T.field(index + 1, "c\(index)", T.p(entry.0), required: index % 2 == 0)
        })
        let parquet = try IcebergParquetSchema.parquetSchema(for: schema)
        #expect(parquet.columns.count == types.count)
        for (column, entry) in zip(parquet.columns, types) {
            #expect(column.physicalType == entry.1, "\(entry.0)")
            #expect(column.typeLength == entry.2, "\(entry.0)")
            #expect(column.logicalType == entry.3, "\(entry.0)")
            #expect(column.fieldID == Int32(column.index + 1))
            #expect(column.repetition == (column.index % 2 == 0 ? .required : .optional))
        }
    }

    @Test func listsMapsAndStructsCarryFieldIDs() throws {
        let schema = Schema(schemaId: 0, fields: [
            T.field(1, "tags", .list(ListType(elementId: 2, elementRequired: true, element: T.p(.string)))),
            T.field(3, "attrs", .map(MapType(keyId: 4, key: T.p(.string), valueId: 5, valueRequired: false, value: T.p(.long)))),
            T.field(6, "point", .struct(StructType(fields: [T.field(7, "x", T.p(.double), required: true)])), required: true),
            T.field(8, "gone", T.p(.unknown)),
        ])
        let parquet = try IcebergParquetSchema.parquetSchema(for: schema)
        #expect(parquet.columns.map(\.path) == [
            ["tags", "list", "element"], ["attrs", "key_value", "key"], ["attrs", "key_value", "value"], ["point", "x"],
        ])
        #expect(parquet.columns.map(\.fieldID) == [2, 4, 5, 7])
        #expect(parquet.columns.map(\.maxDefinitionLevel) == [2, 2, 3, 0])
        #expect(parquet.root.children.map(\.fieldID) == [1, 3, 6])
        #expect(parquet.root.children[0].logicalType == .list)
        #expect(parquet.root.children[1].logicalType == .map)
    }

    @Test func unsupportedTypesAreRejected() {
        let schema = Schema(schemaId: 0, fields: [T.field(1, "v", T.p(.variant))])
        #expect(throws: DataFileError.self) { try IcebergParquetSchema.parquetSchema(for: schema) }
    }
}
