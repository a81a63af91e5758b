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
    }

    private var vectorsByDataFile: [String: [Delete]] = [:]
    private var positionDeletesByPartition: [PartitionKey: [Delete]] = [:]
    private var equalityDeletesByPartition: [PartitionKey: [Delete]] = [:]
    private var globalEqualityDeletes: [Delete] = []

    package private(set) var count = 0

    /// `unpartitionedSpecIds` are the specs with no (non-void) fields: their equality deletes are global.
    package init(deletes entries: [ManifestEntry], unpartitionedSpecIds: Set<Int>) {
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
            result.append(delete)
        }
        for delete in globalEqualityDeletes where delete.sequenceNumber > sequenceNumber {
            result.append(delete)
        }
        return result
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

/// A spec id and partition tuple compared by the values' binary forms (floats by their bits, as the spec says).
package struct PartitionKey: Hashable, Sendable {
    package let specId: Int
    package let values: [[UInt8]?]

    package init(specId: Int, values: [Literal?]) {
        self.specId = specId
        self.values = values.map { $0?.binary }
    }
}
