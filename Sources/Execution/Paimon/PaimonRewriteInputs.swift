import Paimon
import Parquet
import Storage

/// The input files of a Paimon rewrite, opened one by one for ranged reads (in place on local disk, a private copy
/// from an object store): each checked against its manifest entry's row count and
/// against the first input's Parquet schema, whose key-value metadata (Arrow's schema among it) the outputs carry.
struct PaimonRewriteInputs {
    let directory: String
    let storage: any Storage
    /// The first input's Parquet schema (nil before one is opened).
    private(set) var schema: ParquetSchema?
    private(set) var keyValueMetadata: [KeyValue] = []

    init(directory: String, storage: any Storage) {
        self.directory = directory
        self.storage = storage
    }

    /// How outputs are written: `compression`, the first input's key-value metadata, row groups of the table's
    /// `parquet.block.size`.
    func writerOptions(compression: CompressionKind, schema: PaimonSchema) throws -> ParquetWriterOptions {
        var options = ParquetWriterOptions()
        options.compression = compression
        options.keyValueMetadata = keyValueMetadata
        options.rowGroupBytes = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty).parquetBlockSize
        return options
    }

    func location(of input: PaimonManifestEntry) -> String { "\(directory)/\(input.file.fileName)" }

    /// Opens `input` through `staging`.
    mutating func open(_ input: PaimonManifestEntry, staging: TaskStaging) async throws -> ParquetFileReader {
        let location = location(of: input)
        let reader = try ParquetFileReader(path: try await staging.localPath(of: location, storage: storage))
        guard Int64(reader.rowCount) == input.file.rowCount else {
            throw PaimonError.invalidFile(location, "holds \(reader.rowCount) rows, its manifest entry says \(input.file.rowCount)")
        }
        if let schema, schema != reader.schema {
            throw PaimonError.unsupported("rewriting files of one schema id written with different Parquet schemas (\(location))")
        }
        if schema == nil {
            schema = reader.schema
            keyValueMetadata = reader.metadata.keyValueMetadata ?? []
        }
        return reader
    }
}
