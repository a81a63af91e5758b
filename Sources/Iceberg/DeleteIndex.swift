import IcebergSpec

/// Answers "which delete files apply to this data file" by the spec's scan-planning rules:
///
/// - a deletion vector applies to the data file it references, when data-seq(data) ≤ data-seq(DV);
/// - a position-delete file applies when it names no other file, data-seq(data) ≤ data-seq(delete), the spec and
///   partition are the same, and no deletion vector applies (a DV replaces older position deletes);
/// - an equality-delete file applies when data-seq(data) < data-seq(delete) strictly, and the spec and partition
///   are the same or the delete's spec is unpartitioned (a global delete).
///
/// Built once per snapshot from its live delete entries (with inherited sequence numbers).
package struct DeleteIndex: Sendable {
    /// A delete file with its data sequence number.
    package struct Delete: Hashable, Sendable {
        package var file: DataFile
        package var sequenceNumber: Int64

        package init(file: DataFile, sequenceNumber: Int64) {
            self.file = file
            self.sequenceNumber = sequenceNumber
        }
    }

    private var vectorsByDataFile: [String: [Delete]] = [:]
    private var positionDeletesByPartition: [PartitionKey: [Delete]] = [:]
    private var equalityDeletesByPartition: [PartitionKey: [Delete]] = [:]
    private var globalEqualityDeletes: [Delete] = []

    package private(set) var count = 0

    /// Whether any equality delete is indexed (their pruning needs the data files' bounds).
    package var hasEqualityDeletes: Bool { !equalityDeletesByPartition.isEmpty || !globalEqualityDeletes.isEmpty }
    /// Primitive types of the table's fields by id, to compare equality-delete bounds with data-file bounds.
    private let fieldTypes: [Int: PrimitiveType]

    /// `unpartitionedSpecIds` are the specs with no (non-void) fields: their equality deletes are global.
    /// `fieldTypes` (from every schema of the table) lets equality deletes whose column bounds cannot overlap a
    /// data file's be skipped for it, as Java's delete index does; without it no such pruning happens.
    package init(deletes entries: [ManifestEntry], unpartitionedSpecIds: Set<Int>, fieldTypes: [Int: PrimitiveType] = [:]) {
        self.fieldTypes = fieldTypes
        for entry in entries where entry.isLive && entry.dataFile.content != .data {
            let delete = Delete(file: entry.dataFile, sequenceNumber: entry.sequenceNumber ?? 0)
            count += 1
            let key = PartitionKey(specId: entry.dataFile.specId, values: entry.dataFile.partition)
            switch entry.dataFile.content {
            case .positionDeletes:
                if entry.dataFile.isDeletionVector, let target = entry.dataFile.referencedDataFile {
                    vectorsByDataFile[target, default: []].append(delete)
                } else {
                    positionDeletesByPartition[key, default: []].append(delete)
                }
            case .equalityDeletes:
                if unpartitionedSpecIds.contains(entry.dataFile.specId) {
                    globalEqualityDeletes.append(delete)
                } else {
                    equalityDeletesByPartition[key, default: []].append(delete)
                }
            case .data:
                break
            }
        }
    }

    /// The deletes that apply to `dataFile`, whose data sequence number is `sequenceNumber`.
    package func deletes(for dataFile: DataFile, sequenceNumber: Int64) -> [Delete] {
        let key = PartitionKey(specId: dataFile.specId, values: dataFile.partition)
        var result: [Delete] = []
        let vectors = (vectorsByDataFile[dataFile.filePath] ?? []).filter {
            $0.sequenceNumber >= sequenceNumber && PartitionKey(specId: $0.file.specId, values: $0.file.partition) == key
        }
        if vectors.isEmpty {
            for delete in positionDeletesByPartition[key] ?? [] where delete.sequenceNumber >= sequenceNumber {
                if let target = delete.file.referencedDataFile, target != dataFile.filePath { continue }
                if !Self.mayReference(delete.file, path: dataFile.filePath) { continue }
                result.append(delete)
            }
        } else {
            result += vectors
        }
        for delete in equalityDeletesByPartition[key] ?? [] where delete.sequenceNumber > sequenceNumber {
            if mayMatch(equalityDelete: delete.file, dataFile: dataFile) { result.append(delete) }
        }
        for delete in globalEqualityDeletes where delete.sequenceNumber > sequenceNumber {
            if mayMatch(equalityDelete: delete.file, dataFile: dataFile) { result.append(delete) }
        }
        return result
    }

    /// False only when, for some equality column, the delete's value range and the data file's cannot meet: both
    /// have bounds, they do not overlap, and nulls (which match nulls) cannot be on both sides.
    private func mayMatch(equalityDelete delete: DataFile, dataFile: DataFile) -> Bool {
        for fieldId in delete.equalityIds ?? [] {
            guard let type = fieldTypes[fieldId],
                let deleteLower = bound(delete.lowerBounds, fieldId, type),
                let deleteUpper = bound(delete.upperBounds, fieldId, type),
                let dataLower = bound(dataFile.lowerBounds, fieldId, type),
                let dataUpper = bound(dataFile.upperBounds, fieldId, type)
            else { continue }
            let nullsInDelete = delete.nullValueCounts?[fieldId].map { $0 > 0 } ?? true
            let nullsInData = dataFile.nullValueCounts?[fieldId].map { $0 > 0 } ?? true
            if nullsInDelete && nullsInData { continue }
            if let order = Literal.compare(deleteUpper, dataLower), order < 0 { return false }
            if let order = Literal.compare(dataUpper, deleteLower), order < 0 { return false }
        }
        return true
    }

    private func bound(_ bounds: [Int: [UInt8]]?, _ fieldId: Int, _ type: PrimitiveType) -> Literal? {
        guard let bytes = bounds?[fieldId] else { return nil }
        // Truncated string and binary bounds still order correctly against full values for overlap tests.
        return try? Literal(binary: bytes, type: type)
    }

    /// A position-delete file whose `file_path` column bounds exclude `path` cannot delete rows of it.
    private static func mayReference(_ delete: DataFile, path: String) -> Bool {
        let filePathField = 2_147_483_546
        guard let lower = delete.lowerBounds?[filePathField], let upper = delete.upperBounds?[filePathField] else {
            return true
        }
        let bytes = Array(path.utf8)
        // Bounds may be truncated: a lower bound is a prefix-or-less, an upper bound a prefix-or-more.
        return !bytes.lexicographicallyPrecedes(lower) && !upper.lexicographicallyPrecedes(bytes.prefix(upper.count))
    }
}
