import Iceberg
import IcebergSpec
import JSONCoding

/// A commit as the REST catalog takes it (`POST …/tables/{table}`, spec "CommitTableRequest"): requirements that
/// the server's current metadata must meet, and the updates that turn the base metadata into the one amoro built.
///
/// The updates are derived from the difference between the two metadata values, so every command's change goes
/// through one path. What the server derives itself is not sent: the snapshot and metadata logs,
/// `last-updated-ms`, `last-sequence-number` and v3's `next-row-id` (which follow from the added snapshots). Any
/// other difference without an update that expresses it is an error, never silently dropped.
///
/// Requirements: `assert-table-uuid`, and `assert-ref-snapshot-id` for every ref of the base and every ref the
/// change touches (null for one the base lacks). Pinning untouched refs too keeps the commit as strict as the SQL
/// catalog's pointer swap: expiring snapshots or dropping files is decided against exactly the refs it saw.
package struct RESTTableChanges: Sendable {
    package var requirements: [JSON] = []
    package var updates: [JSON] = []

    package init(table: TableIdentifier, base: TableMetadata, next: TableMetadata) throws(IcebergError) {
        func refuse(_ what: String) -> IcebergError {
            .catalog("cannot commit to \(table) through the REST catalog: \(what) has no REST table update")
        }
        guard base.tableUUID == next.tableUUID else { throw refuse("a changed table-uuid") }
        if let uuid = base.tableUUID { requirements.append(.object([("type", "assert-table-uuid"), ("uuid", .string(uuid))])) }
        if base.encryptionKeys != next.encryptionKeys { throw refuse("a change of encryption keys") }
        if base.extra != next.extra { throw refuse("a change of unknown metadata members") }
        if next.formatVersion < base.formatVersion { throw refuse("a format version downgrade") }
        if next.formatVersion > base.formatVersion {
            updates.append(.object([("action", "upgrade-format-version"), ("format-version", .int(Int64(next.formatVersion)))]))
        }
        if next.location != base.location {
            updates.append(.object([("action", "set-location"), ("location", .string(next.location))]))
        }
        try addSchemaChanges(base: base, next: next, refuse: refuse)
        try addSpecAndOrderChanges(base: base, next: next, refuse: refuse)
        addPropertyChanges(base: base.properties, next: next.properties)
        try addSnapshotChanges(base: base, next: next, refuse: refuse)
    }

    /// The request body.
    package func body(for table: TableIdentifier) -> JSON {
        .object([
            ("identifier", .object([("namespace", .array(table.namespace.map { .string($0) })), ("name", .string(table.name))])),
            ("requirements", .array(requirements)), ("updates", .array(updates)),
        ])
    }

    private mutating func addSchemaChanges(base: TableMetadata, next: TableMetadata, refuse: (String) -> IcebergError)
        throws(IcebergError)
    {
        try addNew(next.schemas, base: base.schemas, id: \.schemaId, named: "schema", action: "add-schema", key: "schema",
            json: \.json, refuse: refuse)
        let baseIds = Set(base.schemas.map(\.schemaId))
        let nextIds = Set(next.schemas.map(\.schemaId))
        let removed = base.schemas.map(\.schemaId).filter { !nextIds.contains($0) }
        if next.currentSchemaId != base.currentSchemaId {
            updates.append(.object([("action", "set-current-schema"), ("schema-id", .int(Int64(next.currentSchemaId)))]))
        }
        if !removed.isEmpty {
            updates.append(.object([("action", "remove-schemas"), ("schema-ids", .array(removed.map { .int(Int64($0)) }))]))
        }
        let schemasChanged = nextIds != baseIds || next.currentSchemaId != base.currentSchemaId
        if next.lastColumnId != base.lastColumnId && nextIds == baseIds {
            throw refuse("a changed last-column-id without a new schema")
        }
        if schemasChanged {
            requirements.append(.object([("type", "assert-current-schema-id"), ("current-schema-id", .int(Int64(base.currentSchemaId)))]))
            requirements.append(.object([
                ("type", "assert-last-assigned-field-id"), ("last-assigned-field-id", .int(Int64(base.lastColumnId))),
            ]))
        }
    }

    private mutating func addSpecAndOrderChanges(base: TableMetadata, next: TableMetadata, refuse: (String) -> IcebergError)
        throws(IcebergError)
    {
        try addNew(next.partitionSpecs, base: base.partitionSpecs, id: \.specId, named: "partition spec", action: "add-spec",
            key: "spec", json: \.json, refuse: refuse)
        if next.defaultSpecId != base.defaultSpecId {
            updates.append(.object([("action", "set-default-spec"), ("spec-id", .int(Int64(next.defaultSpecId)))]))
        }
        let nextSpecIds = Set(next.partitionSpecs.map(\.specId))
        let removedSpecs = base.partitionSpecs.map(\.specId).filter { !nextSpecIds.contains($0) }
        if !removedSpecs.isEmpty {
            updates.append(.object([("action", "remove-partition-specs"), ("spec-ids", .array(removedSpecs.map { .int(Int64($0)) }))]))
        }
        if nextSpecIds != Set(base.partitionSpecs.map(\.specId)) || next.defaultSpecId != base.defaultSpecId {
            requirements.append(.object([("type", "assert-default-spec-id"), ("default-spec-id", .int(Int64(base.defaultSpecId)))]))
            requirements.append(.object([
                ("type", "assert-last-assigned-partition-id"), ("last-assigned-partition-id", .int(Int64(base.lastPartitionId))),
            ]))
        } else if next.lastPartitionId != base.lastPartitionId {
            throw refuse("a changed last-partition-id without a new partition spec")
        }

        try addNew(next.sortOrders, base: base.sortOrders, id: \.orderId, named: "sort order", action: "add-sort-order",
            key: "sort-order", json: \.json, refuse: refuse)
        if !Set(base.sortOrders.map(\.orderId)).isSubset(of: next.sortOrders.map(\.orderId)) { throw refuse("removing a sort order") }
        if next.defaultSortOrderId != base.defaultSortOrderId {
            updates.append(.object([("action", "set-default-sort-order"), ("sort-order-id", .int(Int64(next.defaultSortOrderId)))]))
            requirements.append(.object([
                ("type", "assert-default-sort-order-id"), ("default-sort-order-id", .int(Int64(base.defaultSortOrderId))),
            ]))
        }
    }

    /// An `action` update (the member under `key`) for each member of `next` whose id `base` lacks; a member whose
    /// id the base has must be unchanged, since no update edits one in place.
    private mutating func addNew<Member: Equatable>(
        _ next: [Member], base: [Member], id: (Member) -> Int, named name: String, action: String, key: String,
        json: (Member) -> JSON, refuse: (String) -> IcebergError
    ) throws(IcebergError) {
        let existing = Dictionary(base.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        for member in next {
            if let old = existing[id(member)] {
                if old != member { throw refuse("a change to existing \(name) \(id(member))") }
                continue
            }
            updates.append(.object([("action", .string(action)), (key, json(member))]))
        }
    }

    private mutating func addPropertyChanges(base: [String: String], next: [String: String]) {
        let set = next.filter { base[$0.key] != $0.value }.sorted { $0.key < $1.key }
        if !set.isEmpty {
            updates.append(.object([("action", "set-properties"), ("updates", .object(set.map { ($0.key, .string($0.value)) }))]))
        }
        let removed = base.keys.filter { next[$0] == nil }.sorted()
        if !removed.isEmpty {
            updates.append(.object([("action", "remove-properties"), ("removals", .array(removed.map { .string($0) }))]))
        }
    }

    /// Snapshots, refs and statistics. Statistics of removed snapshots go before the snapshots themselves, new
    /// snapshots before the refs that point at them.
    private mutating func addSnapshotChanges(base: TableMetadata, next: TableMetadata, refuse: (String) -> IcebergError)
        throws(IcebergError)
    {
        guard next.currentSnapshotId == next.refs["main"]?.snapshotId else {
            throw refuse("a current snapshot that is not the main branch's")
        }
        let baseSnapshots = Dictionary(base.snapshots.map { ($0.snapshotId, $0) }, uniquingKeysWith: { first, _ in first })
        let nextIds = Set(next.snapshots.map(\.snapshotId))
        let removedIds = base.snapshots.map(\.snapshotId).filter { !nextIds.contains($0) }

        let statistics = [
            StatisticsChange(before: base.statistics, after: next.statistics, name: "statistics"),
            StatisticsChange(before: base.partitionStatistics, after: next.partitionStatistics, name: "partition-statistics"),
        ]
        for files in statistics {
            for id in files.before.keys.sorted() where files.after[id] == nil {
                updates.append(.object([("action", .string("remove-\(files.name)")), ("snapshot-id", .int(id))]))
            }
        }
        for snapshot in next.snapshots {
            if let old = baseSnapshots[snapshot.snapshotId] {
                if old != snapshot { throw refuse("a change to existing snapshot \(snapshot.snapshotId)") }
                continue
            }
            updates.append(.object([("action", "add-snapshot"), ("snapshot", snapshot.json)]))
        }
        for files in statistics {
            for (id, file) in files.after.sorted(by: { $0.key < $1.key }) where files.before[id] != file {
                updates.append(.object([("action", .string("set-\(files.name)")), ("snapshot-id", .int(id)), (files.name, file.json)]))
            }
        }

        let refNames = Set(base.refs.keys).union(next.refs.keys).sorted()
        for name in refNames {
            let before = base.refs[name]
            requirements.append(.object([
                ("type", "assert-ref-snapshot-id"), ("ref", .string(name)), ("snapshot-id", before.map { .int($0.snapshotId) } ?? .null),
            ]))
            guard before != next.refs[name] else { continue }
            if let ref = next.refs[name] {
                var members: [(String, JSON)] = [
                    ("action", "set-snapshot-ref"), ("ref-name", .string(name)), ("type", .string(ref.kind.rawValue)),
                    ("snapshot-id", .int(ref.snapshotId)),
                ]
                if let value = ref.maxRefAgeMs { members.append(("max-ref-age-ms", .int(value))) }
                if let value = ref.maxSnapshotAgeMs { members.append(("max-snapshot-age-ms", .int(value))) }
                if let value = ref.minSnapshotsToKeep { members.append(("min-snapshots-to-keep", .int(Int64(value)))) }
                if ref.extra != .object([]) { throw refuse("unknown members of ref \(name)") }
                updates.append(.object(members))
            } else {
                updates.append(.object([("action", "remove-snapshot-ref"), ("ref-name", .string(name))]))
            }
        }
        if !removedIds.isEmpty {
            updates.append(.object([("action", "remove-snapshots"), ("snapshot-ids", .array(removedIds.map { .int($0) }))]))
        }
    }
}

/// One kind of statistics files (`statistics` or `partition-statistics`) by snapshot, before and after a commit.
private struct StatisticsChange {
    var before: [Int64: StatisticsFile]
    var after: [Int64: StatisticsFile]
    /// The metadata member and update suffix (`set-<name>`, `remove-<name>`).
    var name: String

    init(before: [StatisticsFile], after: [StatisticsFile], name: String) {
        self.before = Dictionary(before.map { ($0.snapshotId, $0) }, uniquingKeysWith: { first, _ in first })
        self.after = Dictionary(after.map { ($0.snapshotId, $0) }, uniquingKeysWith: { first, _ in first })
        self.name = name
    }
}
