import Execution
import IcebergSpec
import JSONCoding
import Planning

/// The `amoro.create-tags-result` document (version 1): the automatic tags `amoro create-tags` looked at for one
/// table, each with what became of it (created, exists, skipped; `create` in a dry run) and why.
package struct CreateTagsResultDocument: Document {
    package static let kind = "amoro.create-tags-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled, conflict, locked, failed
    }

    package typealias Tag = AutoTags.Decision

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var status: Status
    package var period: TagPeriod?
    package var checkMs: Int64?
    package var tags: [Tag]
    package var commitAttempts: Int
    package var error: String?
    package var durationMs: Int64

    package init(catalog: String, table: String, tableUUID: String?, status: Status, period: TagPeriod?, checkMs: Int64?,
        tags: [Tag], commitAttempts: Int, error: String?, durationMs: Int64)
    {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.status = status
        self.period = period
        self.checkMs = checkMs
        self.tags = tags
        self.commitAttempts = commitAttempts
        self.error = error
        self.durationMs = durationMs
    }

    /// The document of one table's run: its result, or the error it failed with (`TableLocked` when it was skipped).
    package init(catalog: String, table: String, outcome: Result<CreateTagsAction.Result, any Error>,
        durationMs: Int64)
    {
        let result = try? outcome.get()
        let failure = outcome.failure
        let status = Status(rawValue: outcome.statusText { $0.status.rawValue }) ?? .failed
        self.init(catalog: catalog, table: table, tableUUID: result?.tableUUID, status: status,
            period: result?.config?.period, checkMs: result?.checkMs, tags: result?.decisions ?? [],
            commitAttempts: result?.commitAttempts ?? 0, error: failure.map { "\($0)" }, durationMs: durationMs)
    }

    package var json: JSON {
        .object([
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(catalog)),
            ("table", .string(table)), ("table_uuid", tableUUID.map(JSON.string) ?? .null), ("status", .string(status.rawValue)),
            ("period", period.map { .string($0.rawValue) } ?? .null), ("check_time_ms", checkMs.map(JSON.int) ?? .null),
            ("tags_created", .int(Int64(tags.filter { $0.action == .create }.count))),
            ("commit_attempts", .int(Int64(commitAttempts))),
            ("tags", .array(tags.map { tag in
                .object([
                    ("name", .string(tag.name)), ("period_start_ms", .int(tag.periodStartMs)), ("trigger_time_ms", .int(tag.triggerMs)),
                    ("action", .string(tag.action.rawValue)), ("snapshot_id", tag.snapshotId.map(JSON.int) ?? .null),
                    ("snapshot_time_ms", tag.snapshotMs.map(JSON.int) ?? .null), ("reason", .string(tag.reason)),
                ])
            })),
            ("error", error.map(JSON.string) ?? .null), ("duration_ms", .int(durationMs)),
        ])
    }

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        _ = try fields.int("tags_created")  // derived from the tags
        let any = Int64.min...Int64.max
        self.init(catalog: try fields.string("catalog"), table: try fields.string("table"),
            tableUUID: try fields.optionalString("table_uuid"), status: try fields.value("status", as: Status.self),
            period: try fields.optionalValue("period", as: TagPeriod.self), checkMs: try fields.optionalInt("check_time_ms", any),
            tags: try fields.objects("tags") { (tag) throws(DocumentError) in
                Tag(name: try tag.string("name"), periodStartMs: try tag.int("period_start_ms", any),
                    triggerMs: try tag.int("trigger_time_ms", any), action: try tag.value("action", as: Tag.Action.self),
                    snapshotId: try tag.optionalInt("snapshot_id", any), snapshotMs: try tag.optionalInt("snapshot_time_ms", any),
                    reason: try tag.string("reason"))
            },
            commitAttempts: try fields.small("commit_attempts"), error: try fields.optionalString("error"),
            durationMs: try fields.int("duration_ms"))
    }

    /// One summary line, then each tag looked at.
    package func rendered() -> String {
        var lines = ["\(table): \(status.rawValue), \(tags.filter { $0.action == .create }.count) tags "
            + (status == .dryRun ? "to create" : "created")]
        if !tags.isEmpty {
            var table = TextTable(["tag", "action", "snapshot", "snapshot time", "why"])
            for tag in tags {
                table.add([tag.name, tag.action.rawValue, tag.snapshotId.map(String.init) ?? "-",
                    tag.snapshotMs.map(DataExpiration.isoText) ?? "-", tag.reason])
            }
            lines.append(table.rendered())
        }
        if let error { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }
}
