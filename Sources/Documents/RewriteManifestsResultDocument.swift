import Execution
import Foundation
import IcebergSpec
import JSONCoding

/// The `amoro.rewrite-manifests-result` document (version 1): what `amoro rewrite-manifests` did to one table.
package struct RewriteManifestsResultDocument: Document {
    package static let kind = "amoro.rewrite-manifests-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", conflict, locked, failed
    }

    package typealias Replaced = RewriteManifestsAction.Replaced
    package typealias Created = RewriteManifestsAction.Created

    /// What a run that got as far as the table did (absent when it failed). Counts and sums are derived from the
    /// lists, but for the manifests the snapshot had.
    package struct Details: Sendable, Equatable {
        package var targetSizeBytes: Int64
        package var manifestsBefore: Int
        package var replaced: [Replaced]
        package var created: [Created]
        package var commitAttempts: Int

        package init(targetSizeBytes: Int64, manifestsBefore: Int, replaced: [Replaced], created: [Created], commitAttempts: Int) {
            self.targetSizeBytes = targetSizeBytes
            self.manifestsBefore = manifestsBefore
            self.replaced = replaced
            self.created = created
            self.commitAttempts = commitAttempts
        }

        var manifestsKept: Int { max(0, manifestsBefore - replaced.count) }
        var entriesProcessed: Int64 { created.reduce(0) { $0.saturatingAdd($1.entries) } }
        var entriesDropped: Int64 { replaced.reduce(0) { $0.saturatingAdd($1.deletedEntries) } }
        var bytesReplaced: Int64 { replaced.reduce(0) { $0.saturatingAdd($1.bytes) } }
        var bytesCreated: Int64 { created.reduce(0) { $0.saturatingAdd($1.bytes) } }
    }

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var status: Status
    package var plannedSnapshotId: Int64?
    package var snapshotId: Int64?
    package var details: Details?
    package var error: String?
    package var durationMs: Int64

    package init(catalog: String, table: String, tableUUID: String?, status: Status, plannedSnapshotId: Int64?,
        snapshotId: Int64?, details: Details?, error: String?, durationMs: Int64)
    {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.status = status
        self.plannedSnapshotId = plannedSnapshotId
        self.snapshotId = snapshotId
        self.details = details
        self.error = error
        self.durationMs = durationMs
    }

    /// The document of one table's run: its result, or the error it failed with (`TableLocked` when it was skipped).
    package init(catalog: String, table: String, outcome: Result<RewriteManifestsAction.Result, any Error>,
        durationMs: Int64)
    {
        let result = try? outcome.get()
        let failure = outcome.failure
        let status = Status(rawValue: outcome.statusText { $0.status.rawValue }) ?? .failed
        let details = result.map { result in
            Details(targetSizeBytes: result.targetSizeBytes, manifestsBefore: result.manifestsBefore, replaced: result.replaced,
                created: result.created, commitAttempts: result.commitAttempts)
        }
        self.init(catalog: catalog, table: table, tableUUID: result?.tableUUID, status: status,
            plannedSnapshotId: result?.plannedSnapshotId, snapshotId: result?.snapshotId, details: details,
            error: failure.map { "\($0)" }, durationMs: durationMs)
    }

    private static func contentName(_ content: ManifestFile.Content) -> String { content == .data ? "data" : "deletes" }

    private static func content(_ fields: DocumentFields) throws(DocumentError) -> ManifestFile.Content {
        switch try fields.string("content") {
        case "data": return .data
        case "deletes": return .deletes
        case let other: throw fields.error("content", "is \"\(other)\", not data or deletes")
        }
    }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(catalog)),
            ("table", .string(table)), ("table_uuid", tableUUID.map(JSON.string) ?? .null), ("status", .string(status.rawValue)),
            ("planned_snapshot_id", plannedSnapshotId.map(JSON.int) ?? .null), ("snapshot_id", snapshotId.map(JSON.int) ?? .null),
        ]
        if let details {
            members += [
                ("target_size_bytes", .int(details.targetSizeBytes)),
                ("manifests_before", .int(Int64(details.manifestsBefore))),
                ("manifests_kept", .int(Int64(details.manifestsKept))),
                ("manifests_replaced", .int(Int64(details.replaced.count))),
                ("manifests_created", .int(Int64(details.created.count))),
                ("entries_processed", .int(details.entriesProcessed)), ("entries_dropped", .int(details.entriesDropped)),
                ("bytes_replaced", .int(details.bytesReplaced)), ("bytes_created", .int(details.bytesCreated)),
                ("commit_attempts", .int(Int64(details.commitAttempts))),
                ("replaced", .array(details.replaced.map { manifest in
                    .object([("path", .string(manifest.path)), ("content", .string(Self.contentName(manifest.content))),
                        ("spec_id", .int(Int64(manifest.specId))), ("size", .int(manifest.bytes)),
                        ("live_entries", .int(manifest.liveEntries)), ("deleted_entries", .int(manifest.deletedEntries))])
                })),
                ("created", .array(details.created.map { manifest in
                    .object([("path", .string(manifest.path)), ("content", .string(Self.contentName(manifest.content))),
                        ("spec_id", .int(Int64(manifest.specId))), ("size", .int(manifest.bytes)), ("entries", .int(manifest.entries)),
                        ("first_partition", .string(manifest.firstPartition)), ("last_partition", .string(manifest.lastPartition))])
                })),
            ]
        }
        members.append(("error", error.map(JSON.string) ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    /// Members derived from the lists (and `manifests_before`).
    private static let derivedMembers = [
        "manifests_kept", "manifests_replaced", "manifests_created", "entries_processed", "entries_dropped", "bytes_replaced",
        "bytes_created",
    ]

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        var details: Details?
        if try fields.group(["target_size_bytes", "manifests_before", "commit_attempts", "replaced", "created"] + Self.derivedMembers) {
            details = Details(
                targetSizeBytes: try fields.int("target_size_bytes", 1...Int64.max),
                manifestsBefore: try fields.small("manifests_before"),
                replaced: try fields.objects("replaced") { (manifest) throws(DocumentError) in
                    Replaced(path: try manifest.string("path"), content: try Self.content(manifest),
                        specId: try manifest.small("spec_id"), bytes: try manifest.int("size"),
                        liveEntries: try manifest.int("live_entries"), deletedEntries: try manifest.int("deleted_entries"))
                },
                created: try fields.objects("created") { (manifest) throws(DocumentError) in
                    Created(path: try manifest.string("path"), content: try Self.content(manifest),
                        specId: try manifest.small("spec_id"), bytes: try manifest.int("size"), entries: try manifest.int("entries"),
                        firstPartition: try manifest.string("first_partition"), lastPartition: try manifest.string("last_partition"))
                },
                commitAttempts: try fields.small("commit_attempts"))
            for key in Self.derivedMembers { _ = try fields.int(key) }
        }
        self.init(catalog: try fields.string("catalog"), table: try fields.string("table"),
            tableUUID: try fields.optionalString("table_uuid"), status: try fields.value("status", as: Status.self),
            plannedSnapshotId: try fields.optionalInt("planned_snapshot_id", Int64.min...Int64.max),
            snapshotId: try fields.optionalInt("snapshot_id", Int64.min...Int64.max), details: details,
            error: try fields.optionalString("error"), durationMs: try fields.int("duration_ms"))
    }

    /// One summary line, then (for a dry run) each content kind and spec with what would be replaced and written.
    package func rendered() -> String {
        var lines = ["\(table): \(status.rawValue)"]
        if let details {
            lines[0] += ", \(details.manifestsBefore) manifests"
            if !details.replaced.isEmpty {
                lines[0] += ": \(details.replaced.count) (\(ByteCount.format(details.bytesReplaced))) → \(details.created.count)"
                    + " (\(ByteCount.format(details.bytesCreated))), \(details.manifestsKept) kept, \(details.entriesProcessed) entries"
            }
        }
        if let snapshotId { lines[0] += ", snapshot \(snapshotId)" }
        if status == .dryRun, let details {
            var table = TextTable(["content", "spec", "replaced", "bytes", "created", "bytes", "entries", "partitions"])
            let keys = Set(details.replaced.map { "\(Self.contentName($0.content)) \($0.specId)" }).sorted()
            for key in keys {
                let replaced = details.replaced.filter { "\(Self.contentName($0.content)) \($0.specId)" == key }
                let created = details.created.filter { "\(Self.contentName($0.content)) \($0.specId)" == key }
                let range = created.isEmpty ? "" : "\(created[0].firstPartition) … \(created[created.count - 1].lastPartition)"
                let parts = key.split(separator: " ").map(String.init)
                table.add([parts[0], parts[1], String(replaced.count), ByteCount.format(replaced.reduce(0) { $0.saturatingAdd($1.bytes) }),
                    String(created.count), ByteCount.format(created.reduce(0) { $0.saturatingAdd($1.bytes) }),
                    String(created.reduce(Int64(0)) { $0.saturatingAdd($1.entries) }), range])
            }
            lines.append(table.rendered())
        }
        if let error { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }
}
