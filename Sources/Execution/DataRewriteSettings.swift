import Foundation
import Iceberg
import IcebergSpec
import Storage

/// What rewriting a table's data files needs from its metadata: the write properties, the schema to write (with
/// the row-lineage fields for v3), and the name mapping through which files without field ids (PyIceberg's
/// `add_files`) are read. Shared by compaction and `rewrite-deletes --apply`.
struct DataRewriteSettings: Sendable {
    let properties: DataWriteProperties
    let writeSchema: Schema
    let nameMapping: NameMapping?
    let formatVersion: Int

    init(table: LoadedTable, sortOrder: IcebergSpec.SortOrder?) throws(AmoroError) {
        let metadata = table.metadata
        guard let schema = metadata.currentSchema else {
            throw .iceberg(.invalidFile(table.metadataLocation, "has no current schema"))
        }
        do {
            properties = try DataWriteProperties(properties: metadata.properties, schema: schema, sortOrder: sortOrder)
            nameMapping = try metadata.properties[NameMapping.propertyKey].map { try NameMapping(json: $0) }
        } catch {
            throw .iceberg(.invalidFile(table.metadataLocation, "\(error)"))
        }
        writeSchema = metadata.formatVersion >= 3 ? schema.withRowLineageFields : schema
        formatVersion = metadata.formatVersion
    }

    /// The rewrite input of a live data file whose `deleted` positions are dropped (row lineage kept for v3).
    func input(_ entry: ManifestEntry, deleted: RoaringPositionBitmap) throws -> DataFileRewrite.Input {
        let file = entry.dataFile
        var isDeleted: (@Sendable (Int64) -> Bool)?
        if !deleted.isEmpty { isDeleted = { @Sendable position in deleted.contains(position) } }
        let lineage: RowLineage? = formatVersion >= 3
            ? RowLineage(firstRowId: file.firstRowId, dataSequenceNumber: entry.sequenceNumber) : nil
        guard let location = Location(file.filePath), location.isLocal else {
            throw IcebergError.storage(.unsupportedLocation(file.filePath))
        }
        return DataFileRewrite.Input(path: location.path, isDeleted: isDeleted, rowLineage: lineage)
    }

    /// Where a new delete file for one data file goes: Amoro names them `<data file stem>-delete-<suffix>`.
    static func deleteFileLocation(for dataFilePath: String, directory: String, extension: String) -> String {
        let stem = (dataFilePath.split(separator: "/").last.map(String.init) ?? "data")
            .split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        return "\(directory)/\(stem)-delete-\(UUID().uuidString.lowercased()).\(`extension`)"
    }
}
