import Foundation
import Iceberg
import IcebergSpec
import Parquet

/// Helpers shared by the data-file tests: write rows of an Iceberg schema as a Parquet file, read a file back.
enum DataFileTesting {
    static func field(_ id: Int, _ name: String, _ type: IcebergType, required: Bool = false) -> NestedField {
        NestedField(id: id, name: name, isRequired: required, type: type)
    }

    static func p(_ type: PrimitiveType) -> IcebergType { .primitive(type) }

    /// Writes `rows` (nested `ParquetValue` groups in `schema`'s field order) with `rowGroupRows` rows per group.
    static func write(_ rows: [ParquetValue], schema: Schema, to path: String, rowGroupRows: Int = 1 << 20) throws {
        let parquet = try IcebergParquetSchema.parquetSchema(for: schema)
        var options = ParquetWriterOptions()
        options.rowGroupRows = rowGroupRows
        let writer = try ParquetFileWriter(schema: parquet, path: path, options: options)
        try writer.write(try RecordShredder.columns(schema: parquet, rows: rows))
        _ = try writer.close()
    }

    /// Every row group of `path` read as `schema`, concatenated.
    static func read(_ path: String, as schema: Schema, lineage: RowLineage? = nil) throws -> DataBatch {
        let reader = try DataFileReader(path: path, tableSchema: schema, rowLineage: lineage)
        var batches: [DataBatch] = []
        for group in 0..<reader.rowGroupCount { batches.append(try reader.readRowGroup(group)) }
        return try DataBatch.concatenating(batches, schema: reader.schema)
    }

    static func rows(_ batch: DataBatch) throws -> [ParquetValue] {
        try RecordAssembler.rows(schema: batch.schema, columns: batch.columns)
    }

    /// A big-endian two's-complement value in `width` bytes.
    static func bigEndian(_ value: Int64, width: Int) -> ParquetValue {
        var bytes: [UInt8] = []
        for index in (0..<width).reversed() { bytes.append(UInt8(truncatingIfNeeded: index >= 8 ? (value < 0 ? -1 : 0) : value >> (8 * index))) }
        return .bytes(bytes)
    }
}
