import JSONCoding

/// The state of a table at one point in time (spec "Snapshots").
package struct Snapshot: Hashable, Sendable {
    package var snapshotId: Int64
    package var parentSnapshotId: Int64?
    /// 0 for v1 tables, which have no sequence numbers.
    package var sequenceNumber: Int64
    package var timestampMs: Int64
    /// Path of the manifest list (v2+, and most v1 tables).
    package var manifestList: String?
    /// v1 only: manifest paths listed inline instead of a manifest list.
    package var manifests: [String]?
    package var summary: Summary
    package var schemaId: Int?
    /// v3 row lineage.
    package var firstRowId: Int64?
    package var addedRows: Int64?
    package var keyId: String?
    package var extra: JSON = .object([])

    package init(
        snapshotId: Int64, parentSnapshotId: Int64?, sequenceNumber: Int64, timestampMs: Int64, manifestList: String?,
        summary: Summary, schemaId: Int?
    ) {
        self.snapshotId = snapshotId
        self.parentSnapshotId = parentSnapshotId
        self.sequenceNumber = sequenceNumber
        self.timestampMs = timestampMs
        self.manifestList = manifestList
        self.summary = summary
        self.schemaId = schemaId
    }

    /// A snapshot summary: the operation and string properties (totals, producer, amoro's optimizing keys).
    package struct Summary: Hashable, Sendable {
        package var operation: Operation
        package var properties: [String: String]

        package init(operation: Operation, properties: [String: String] = [:]) {
            self.operation = operation
            self.properties = properties
        }

        package subscript(key: String) -> String? { properties[key] }
    }

    /// What a snapshot did to the table's data.
    package enum Operation: String, Hashable, Sendable {
        case append, replace, overwrite, delete
    }
}

extension Snapshot {
    static let knownKeys: Set<String> = [
        "snapshot-id", "parent-snapshot-id", "sequence-number", "timestamp-ms", "manifest-list", "manifests", "summary",
        "schema-id", "first-row-id", "added-rows", "key-id",
    ]

    package init(json: JSON, context: String) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        var properties = try reader.stringMap("summary")
        // v1 allows a missing summary; Java then reads the operation as absent. Treat it as an append.
        let operationName = properties.removeValue(forKey: "operation") ?? "append"
        guard let operation = Operation(rawValue: operationName) else {
            throw .invalidField("\(context).summary.operation", "is '\(operationName)', not append/replace/overwrite/delete")
        }
        self.init(
            snapshotId: try reader.int64("snapshot-id"), parentSnapshotId: try reader.optionalInt64("parent-snapshot-id"),
            sequenceNumber: try reader.optionalInt64("sequence-number") ?? 0, timestampMs: try reader.int64("timestamp-ms"),
            manifestList: try reader.optionalString("manifest-list"),
            summary: Summary(operation: operation, properties: properties), schemaId: try reader.optionalInt("schema-id"))
        if let manifests = try reader.optionalArray("manifests") {
            self.manifests = try manifests.enumerated().map { index, value throws(IcebergSpecError) -> String in
                guard let path = value.stringValue else { throw .invalidField("\(context).manifests[\(index)]", "must be a string") }
                return path
            }
        }
        guard manifestList != nil || manifests != nil else {
            throw .invalidField("\(context).manifest-list", "is missing")
        }
        firstRowId = try reader.optionalInt64("first-row-id")
        addedRows = try reader.optionalInt64("added-rows")
        keyId = try reader.optionalString("key-id")
        extra = reader.unknownMembers(known: Self.knownKeys)
    }

    /// JSON in Java's field order; `sequence-number` only when positive.
    package var json: JSON {
        var members: [(String, JSON)] = []
        if sequenceNumber > 0 { members.append(("sequence-number", .int(sequenceNumber))) }
        members.append(("snapshot-id", .int(snapshotId)))
        if let parentSnapshotId { members.append(("parent-snapshot-id", .int(parentSnapshotId))) }
        members.append(("timestamp-ms", .int(timestampMs)))
        let summaryMembers: [(String, JSON)] =
            [("operation", .string(summary.operation.rawValue))]
            + summary.properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        members.append(("summary", .object(summaryMembers)))
        if let manifestList { members.append(("manifest-list", .string(manifestList))) }
        if let manifests { members.append(("manifests", .array(manifests.map { .string($0) }))) }
        if let schemaId { members.append(("schema-id", .int(Int64(schemaId)))) }
        if let firstRowId { members.append(("first-row-id", .int(firstRowId))) }
        if let addedRows { members.append(("added-rows", .int(addedRows))) }
        if let keyId { members.append(("key-id", .string(keyId))) }
        return JSON.object(members).appending(extra)
    }
}

/// A named reference to a snapshot (spec "Snapshot References"): a branch or a tag, with its retention.
package struct SnapshotRef: Hashable, Sendable {
    package enum Kind: String, Sendable { case branch, tag }

    package var snapshotId: Int64
    package var kind: Kind
    package var minSnapshotsToKeep: Int?
    package var maxSnapshotAgeMs: Int64?
    package var maxRefAgeMs: Int64?
    package var extra: JSON = .object([])

    package init(snapshotId: Int64, kind: Kind, minSnapshotsToKeep: Int? = nil, maxSnapshotAgeMs: Int64? = nil,
        maxRefAgeMs: Int64? = nil)
    {
        self.snapshotId = snapshotId
        self.kind = kind
        self.minSnapshotsToKeep = minSnapshotsToKeep
        self.maxSnapshotAgeMs = maxSnapshotAgeMs
        self.maxRefAgeMs = maxRefAgeMs
    }

    package init(json: JSON, context: String) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        guard let kind = Kind(rawValue: try reader.string("type")) else {
            throw .invalidField("\(context).type", "must be branch or tag")
        }
        self.init(snapshotId: try reader.int64("snapshot-id"), kind: kind,
            minSnapshotsToKeep: try reader.optionalInt("min-snapshots-to-keep"),
            maxSnapshotAgeMs: try reader.optionalInt64("max-snapshot-age-ms"),
            maxRefAgeMs: try reader.optionalInt64("max-ref-age-ms"))
        extra = reader.unknownMembers(
            known: ["snapshot-id", "type", "min-snapshots-to-keep", "max-snapshot-age-ms", "max-ref-age-ms"])
    }

    package var json: JSON {
        var members: [(String, JSON)] = [("snapshot-id", .int(snapshotId)), ("type", .string(kind.rawValue))]
        if let minSnapshotsToKeep { members.append(("min-snapshots-to-keep", .int(Int64(minSnapshotsToKeep)))) }
        if let maxSnapshotAgeMs { members.append(("max-snapshot-age-ms", .int(maxSnapshotAgeMs))) }
        if let maxRefAgeMs { members.append(("max-ref-age-ms", .int(maxRefAgeMs))) }
        return JSON.object(members).appending(extra)
    }
}
