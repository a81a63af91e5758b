import Foundation
import IcebergSpec
import JSONCoding
import Paimon
import Storage

/// Commits a `COMPACT` snapshot as Paimon's `FileStoreCommitImpl` does: the changes go into a new manifest (DELETE
/// entries for the files replaced, ADD entries for the files written), the delta manifest list names it, the base
/// manifest list names every manifest of the latest snapshot's base and delta lists, and `snapshot/snapshot-N` is
/// created only if absent (atomic no-replace: link(2) on local disks, `If-None-Match: *` on S3); then the `LATEST`
/// hint. Everything the snapshot names is durable before it is written. A lost race re-reads the head and retries
/// while every replaced file is still live there; otherwise it is a conflict (exit 75) and the new manifests, which
/// no snapshot reaches, are removed.
package enum PaimonCommit {
    package struct Committed: Sendable, Equatable {
        package var snapshotId: Int64
        /// Commit attempts that lost a race before this one won.
        package var retries: Int
    }

    /// Commits `deleted` (entries live at the head, copied as they are listed) and `added` as one COMPACT snapshot.
    /// `indexManifest`, when given, names the snapshot's index manifest for each head tried (passing on the
    /// locations of what it writes), instead of the head's own.
    package static func compact(
        _ table: PaimonTable, deleted: [PaimonManifestEntry], added: [PaimonManifestEntry], commitUser: String,
        commitIdentifier: Int64 = Int64.max, maxAttempts: Int = 10, nowMs: @Sendable () -> Int64,
        indexManifest: ((PaimonSnapshot, (String) -> Void) async throws(PaimonError) -> String?)? = nil
    ) async throws(PaimonError) -> Committed {
        let schema = try await table.latestSchema()
        let options = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
        let compression = schema.options["manifest.compression"] ?? "zstd"
        guard options.manifestFormat.lowercased() == "avro" else { throw .unsupported("manifest.format=\(options.manifestFormat)") }
        var retries = 0
        while true {
            guard let latestId = try await table.snapshotFiles().last?.id else {
                throw .conflict("\(table.location) has no snapshot any more")
            }
            let latest = try await table.snapshot(latestId)
            let files = PaimonSnapshotFiles(table: table)
            let live = Set(try await files.liveFiles(latest).map(\.identifier))
            let gone = deleted.filter { !live.contains($0.identifier) }
            if let first = gone.first {
                throw .conflict("\(gone.count) input files are no longer live at snapshot \(latestId) (\(first.file.fileName) among them); plan again")
            }
            let id = UUID().uuidString.lowercased()
            let manifestName = "manifest-\(id)-0"
            let baseName = "manifest-list-\(id)-0"
            let deltaName = "manifest-list-\(id)-1"
            var entries = deleted.map { entry in
                var copy = entry
                copy.kind = .delete
                return copy
            }
            entries += added
            let manifestBytes = try PaimonManifestWriter.manifest(entries, compression: compression)
            let deltaMeta = try manifestMeta(manifestName, size: Int64(manifestBytes.count), entries: entries, schema: schema)
            let baseMetas = try await files.manifestList(latest.baseManifestList) + files.manifestList(latest.deltaManifestList)
            let baseBytes = try PaimonManifestWriter.manifestList(baseMetas, compression: compression)
            let deltaBytes = try PaimonManifestWriter.manifestList([deltaMeta], compression: compression)
            var written: [String] = []
            var index = latest.indexManifest
            if let indexManifest {
                do { index = try await indexManifest(latest) { written.append($0) } } catch {
                    await removeQuietly(written, table)
                    throw error
                }
            }
            let manifests = [table.manifestLocation(manifestName), table.manifestLocation(baseName), table.manifestLocation(deltaName)]
            written += manifests
            do {
                for (location, bytes) in zip(manifests, [manifestBytes, baseBytes, deltaBytes]) {
                    try await table.storage.write(location, bytes: bytes, mode: .createNew)
                }
            } catch {
                await removeQuietly(written, table)
                throw .storage(error)
            }
            let deltaRecords = added.reduce(Int64(0)) { $0.saturatingAdd($1.file.rowCount) }
                .saturatingSubtract(deleted.reduce(Int64(0)) { $0.saturatingAdd($1.file.rowCount) })
            var members: [(String, JSON)] = [
                ("version", .int(3)), ("id", .int(latestId.saturatingAdd(1))), ("schemaId", .int(schema.id)),
                ("baseManifestList", .string(baseName)), ("deltaManifestList", .string(deltaName)),
                ("baseManifestListSize", .int(Int64(baseBytes.count))), ("deltaManifestListSize", .int(Int64(deltaBytes.count))),
            ]
            if let index { members.append(("indexManifest", .string(index))) }
            members += [
                ("commitUser", .string(commitUser)), ("commitIdentifier", .int(commitIdentifier)), ("commitKind", .string("COMPACT")),
                ("timeMillis", .int(nowMs())),
                ("totalRecordCount", .int((latest.totalRecordCount ?? 0).saturatingAdd(deltaRecords))),
                ("deltaRecordCount", .int(deltaRecords)),
            ]
            if let watermark = latest.watermark { members.append(("watermark", .int(watermark))) }
            if let statistics = latest.statistics { members.append(("statistics", .string(statistics))) }
            if let nextRowId = latest.nextRowId { members.append(("nextRowId", .int(nextRowId))) }
            members.append(("uuid", .string(UUID().uuidString.lowercased())))
            let snapshotId = latestId.saturatingAdd(1)
            do {
                try await table.storage.write(table.snapshotLocation(snapshotId), bytes: Array(JSON.object(members).rendered(pretty: true).utf8),
                    mode: .createNew)
            } catch .alreadyExists {
                await removeQuietly(written, table)
                retries += 1
                guard retries < maxAttempts else {
                    throw .conflict("snapshot \(snapshotId) was taken by another writer \(retries) times; try again later")
                }
                try? await Task.sleep(for: .milliseconds(Int64(10 * retries)))
                continue
            } catch {
                // The outcome is unknown (the snapshot may exist): leave the manifests for clean-orphans.
                throw .storage(error)
            }
            try? await table.storage.write("\(table.snapshotDirectory)/LATEST", bytes: Array(String(snapshotId).utf8), mode: .replace)
            return Committed(snapshotId: snapshotId, retries: retries)
        }
    }

    private static func removeQuietly(_ locations: [String], _ table: PaimonTable) async {
        for location in locations { try? await table.storage.delete(location) }
    }

    /// The manifest list entry of a new manifest: counts, partition bounds, bucket and level ranges.
    static func manifestMeta(_ name: String, size: Int64, entries: [PaimonManifestEntry], schema: PaimonSchema)
        throws(PaimonError) -> PaimonManifestFile
    {
        let types = schema.partitionTypes.map(\.type)
        var minimum = [PaimonValue?](repeating: nil, count: types.count)
        var maximum = [PaimonValue?](repeating: nil, count: types.count)
        var nulls = [Int64](repeating: 0, count: types.count)
        for entry in entries where !types.isEmpty {
            let row = try BinaryRow(serialized: entry.partition)
            guard row.arity == types.count else { throw .invalidFile("partition", "a row of \(row.arity) fields for \(types.count) keys") }
            for (index, type) in types.enumerated() {
                guard let value = try row.value(index, type: type) else {
                    nulls[index] += 1
                    continue
                }
                if minimum[index].map({ (PaimonValue.compare(value, $0) ?? 0) < 0 }) ?? true { minimum[index] = value }
                if maximum[index].map({ (PaimonValue.compare(value, $0) ?? 0) > 0 }) ?? true { maximum[index] = value }
            }
        }
        let stats = PaimonSimpleStats(
            minValues: try BinaryRowWriter.serialize(minimum, types: types),
            maxValues: try BinaryRowWriter.serialize(maximum, types: types), nullCounts: nulls.map { $0 })
        let buckets = Set(entries.map(\.totalBuckets))
        return PaimonManifestFile(
            fileName: name, fileSize: size, numAddedFiles: Int64(entries.filter { $0.kind == .add }.count),
            numDeletedFiles: Int64(entries.filter { $0.kind == .delete }.count), schemaId: schema.id, partitionStats: stats,
            minBucket: entries.map(\.bucket).min(), maxBucket: entries.map(\.bucket).max(),
            minLevel: entries.map(\.file.level).min(), maxLevel: entries.map(\.file.level).max(),
            totalBuckets: buckets.count == 1 ? buckets.first : nil)
    }
}
