import Foundation
import IcebergSpec

extension Bench {
    /// Tables for `scripts/bench-maintenance`, in a SQLite catalog named `local` at `DIR/catalog.db` (PyIceberg's
    /// schema), each data file a copy of TEMPLATE (a Parquet file of ROWS rows, see `BenchTableBuilder`); NOW_MS is
    /// the time the ages are counted from.
    ///
    /// - `make-history-table DIR SNAPSHOTS RECENT TEMPLATE ROWS NOW_MS`: `bench.history`, SNAPSHOTS snapshots (see
    ///   `makeHistoryTable`).
    /// - `make-orphan-table DIR LIVE ORPHANS YOUNG TEMPLATE ROWS NOW_MS`: `bench.orphans`, LIVE data files plus
    ///   ORPHANS old and YOUNG new unreferenced files (see `makeOrphanTable`).
    /// - `make-manifest-table DIR MANIFESTS TEMPLATE ROWS NOW_MS`: `bench.manifests`, MANIFESTS one-entry manifests
    ///   (see `makeManifestTable`).
    static let maintenance: [Bench] = [
        Bench(name: "make-history-table") { arguments in
            guard arguments.count == 6, let snapshots = Int(arguments[1]), let recent = Int(arguments[2]),
                let rows = Int64(arguments[4]), let nowMs = Int64(arguments[5]), snapshots > recent, recent > 0
            else { throw BenchError.usage("make-history-table DIR SNAPSHOTS RECENT TEMPLATE ROWS NOW_MS") }
            try blocking {
                try await makeHistoryTable(root: arguments[0], snapshots: snapshots, recent: recent, templatePath: arguments[3],
                    templateRows: rows, nowMs: nowMs)
            }
        },
        Bench(name: "make-orphan-table") { arguments in
            guard arguments.count == 7, let live = Int(arguments[1]), let orphans = Int(arguments[2]), let young = Int(arguments[3]),
                let rows = Int64(arguments[5]), let nowMs = Int64(arguments[6]), live > 0
            else { throw BenchError.usage("make-orphan-table DIR LIVE ORPHANS YOUNG TEMPLATE ROWS NOW_MS") }
            try blocking {
                try await makeOrphanTable(root: arguments[0], live: live, orphans: orphans, young: young, templatePath: arguments[4],
                    templateRows: rows, nowMs: nowMs)
            }
        },
        Bench(name: "make-manifest-table") { arguments in
            guard arguments.count == 5, let manifests = Int(arguments[1]), let rows = Int64(arguments[3]),
                let nowMs = Int64(arguments[4]), manifests > 0
            else { throw BenchError.usage("make-manifest-table DIR MANIFESTS TEMPLATE ROWS NOW_MS") }
            try blocking {
                try await makeManifestTable(root: arguments[0], manifests: manifests, templatePath: arguments[2],
                    templateRows: rows, nowMs: nowMs)
            }
        },
    ]

    private static let dayMs: Int64 = 86_400_000

    /// `bench.manifests`: what a streaming writer that does not merge manifests leaves, MANIFESTS manifests of one
    /// data file each, added ten per snapshot (a commit of ten writers' files) over the last day before NOW_MS.
    private static func makeManifestTable(
        root: String, manifests count: Int, templatePath: String, templateRows: Int64, nowMs: Int64
    ) async throws {
        let perSnapshot = 10
        var table = try await BenchTableBuilder.create(warehouse: root, catalogName: "local", namespace: "bench", name: "manifests",
            templatePath: templatePath, templateRows: templateRows, nowMs: nowMs - 2 * dayMs)
        var manifests: [ManifestFile] = []
        let snapshots = (count + perSnapshot - 1) / perSnapshot
        for index in 0..<snapshots {
            let snapshotId = table.newSnapshotId()
            let sequenceNumber = table.nextSequenceNumber
            var added: [ManifestFile] = []
            for number in (index * perSnapshot)..<min(count, (index + 1) * perSnapshot) {
                let token = UUID().uuidString.lowercased()
                let file = try table.writeDataFile("data/00000-\(number)-\(token).parquet")
                added.append(try table.writeManifest(
                    [ManifestEntry(status: .added, snapshotId: snapshotId, sequenceNumber: nil, fileSequenceNumber: nil, dataFile: file)],
                    name: "\(token)-m0.avro", snapshotId: snapshotId, sequenceNumber: sequenceNumber))
            }
            manifests = added + manifests
            try table.addSnapshot(id: snapshotId, manifests: manifests, operation: .append, summary: [
                "added-data-files": String(added.count), "added-records": String(Int64(added.count) * templateRows),
                "total-data-files": String(manifests.count), "total-records": String(Int64(manifests.count) * templateRows),
                "total-delete-files": "0", "total-position-deletes": "0", "total-equality-deletes": "0",
            ], timestampMs: nowMs - dayMs + Int64(index) * (dayMs / 2) / Int64(snapshots))
        }
        try await table.commit(nowMs: nowMs)
        try report("make-manifest-table", ["manifests": manifests.count, "snapshots": snapshots])
    }

    /// A data file as it is live in the table: the snapshot that added it and its sequence number.
    private struct LiveFile {
        let file: DataFile
        let snapshotId: Int64
        let sequenceNumber: Int64

        func entry(_ status: ManifestEntry.Status, by snapshotId: Int64? = nil) -> ManifestEntry {
            ManifestEntry(status: status, snapshotId: snapshotId ?? self.snapshotId, sequenceNumber: sequenceNumber,
                fileSequenceNumber: sequenceNumber, dataFile: file)
        }
    }

    /// `bench.history`: cycles of 50 snapshots on `main`. Each cycle makes 49 appends of one data file (one new
    /// manifest each, fast-append style), then an overwrite that replaces the cycle's files by one new file; every
    /// fourth cycle ends with a delete of them instead. The overwrite writes one manifest with the live files as
    /// EXISTING, so everything older is reachable only from older snapshots and expiry has real files to delete.
    /// All but the RECENT last snapshots are spread over 100 to 10 days before NOW_MS; the RECENT ones are within
    /// the last day.
    private static func makeHistoryTable(
        root: String, snapshots: Int, recent: Int, templatePath: String, templateRows: Int64, nowMs: Int64
    ) async throws {
        let cycle = 50
        var table = try await BenchTableBuilder.create(warehouse: root, catalogName: "local", namespace: "bench", name: "history",
            templatePath: templatePath, templateRows: templateRows, nowMs: nowMs - 101 * dayMs)
        let old = snapshots - recent
        var live: [LiveFile] = []
        var cycleFiles: [LiveFile] = []
        var cycleManifests: [ManifestFile] = []
        var baseManifest: ManifestFile?
        for index in 0..<snapshots {
            let timestampMs = index < old
                ? nowMs - 100 * dayMs + Int64(index) * (90 * dayMs) / Int64(old)
                : nowMs - dayMs + Int64(index - old) * (dayMs / 2) / Int64(recent)
            let snapshotId = table.newSnapshotId()
            let sequenceNumber = table.nextSequenceNumber
            let token = UUID().uuidString.lowercased()
            let operation: Snapshot.Operation
            var entries: [ManifestEntry]
            if (index + 1) % cycle != 0 {
                operation = .append
                let added = LiveFile(file: try table.writeDataFile("data/00000-\(index)-\(token).parquet"), snapshotId: snapshotId,
                    sequenceNumber: sequenceNumber)
                entries = [ManifestEntry(status: .added, snapshotId: snapshotId, sequenceNumber: nil, fileSequenceNumber: nil,
                    dataFile: added.file)]
                cycleFiles.append(added)
            } else {
                operation = (index / cycle) % 4 == 3 ? .delete : .overwrite
                entries = live.map { $0.entry(.existing) } + cycleFiles.map { $0.entry(.deleted, by: snapshotId) }
                if operation == .overwrite {
                    let replacement = LiveFile(file: try table.writeDataFile("data/00000-\(index)-\(token).parquet"),
                        snapshotId: snapshotId, sequenceNumber: sequenceNumber)
                    entries.append(ManifestEntry(status: .added, snapshotId: snapshotId, sequenceNumber: nil, fileSequenceNumber: nil,
                        dataFile: replacement.file))
                    live.append(replacement)
                }
            }
            let manifest = try table.writeManifest(entries, name: "\(token)-m0.avro", snapshotId: snapshotId,
                sequenceNumber: sequenceNumber)
            let manifests: [ManifestFile]
            if operation == .append {
                cycleManifests.insert(manifest, at: 0)
                manifests = cycleManifests + (baseManifest.map { [$0] } ?? [])
            } else {
                baseManifest = manifest
                manifests = [manifest]
                cycleFiles = []
                cycleManifests = []
            }
            let totalFiles = live.count + cycleFiles.count
            let added = entries.filter { $0.status == .added }.count
            let deleted = entries.filter { $0.status == .deleted }.count
            try table.addSnapshot(id: snapshotId, manifests: manifests, operation: operation, summary: [
                "added-data-files": String(added), "deleted-data-files": String(deleted),
                "added-records": String(Int64(added) * templateRows), "deleted-records": String(Int64(deleted) * templateRows),
                "total-data-files": String(totalFiles), "total-records": String(Int64(totalFiles) * templateRows),
                "total-delete-files": "0", "total-position-deletes": "0", "total-equality-deletes": "0",
            ], timestampMs: timestampMs)
        }
        try await table.commit(nowMs: nowMs)
        try report("make-history-table", ["snapshots": snapshots, "live_data_files": live.count + cycleFiles.count])
    }

    /// `bench.orphans`: LIVE data files added by 10 appends (manifests of at most 1,000 files, fast-append style) in
    /// 100 directories `data/bucket=N`, and beside them ORPHANS unreferenced files (one in fifty a manifest or
    /// manifest list in `metadata/`, as a failed commit leaves them, the rest data files) whose modification time,
    /// like that of every committed file, is 30 days before NOW_MS; then YOUNG unreferenced data files written now
    /// (an in-flight write). `DIR/expected.json` lists the orphans and the young files.
    private static func makeOrphanTable(
        root: String, live: Int, orphans: Int, young: Int, templatePath: String, templateRows: Int64, nowMs: Int64
    ) async throws {
        let snapshots = 10
        var table = try await BenchTableBuilder.create(warehouse: root, catalogName: "local", namespace: "bench", name: "orphans",
            templatePath: templatePath, templateRows: templateRows, nowMs: nowMs - 60 * dayMs)
        func dataPath(_ number: Int) -> String { "data/bucket=\(number % 100)/00000-\(number)-\(UUID().uuidString.lowercased()).parquet" }
        var manifests: [ManifestFile] = []
        for index in 0..<snapshots {
            let snapshotId = table.newSnapshotId()
            let sequenceNumber = table.nextSequenceNumber
            let files = (index * live / snapshots)..<((index + 1) * live / snapshots)
            var added: [ManifestFile] = []
            for start in stride(from: files.lowerBound, to: files.upperBound, by: 1000) {
                let entries = try (start..<min(start + 1000, files.upperBound)).map { number in
                    ManifestEntry(status: .added, snapshotId: snapshotId, sequenceNumber: nil, fileSequenceNumber: nil,
                        dataFile: try table.writeDataFile(dataPath(number)))
                }
                added.append(try table.writeManifest(entries, name: "\(UUID().uuidString.lowercased())-m\(added.count).avro",
                    snapshotId: snapshotId, sequenceNumber: sequenceNumber))
            }
            manifests = added + manifests
            try table.addSnapshot(id: snapshotId, manifests: manifests, operation: .append, summary: [
                "added-data-files": String(files.count), "added-records": String(Int64(files.count) * templateRows),
                "total-data-files": String(files.upperBound), "total-records": String(Int64(files.upperBound) * templateRows),
            ], timestampMs: nowMs - Int64(60 - index) * dayMs)
        }
        try await table.commit(nowMs: nowMs - 30 * dayMs)

        var orphanPaths: [String] = []
        let manifestBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: BenchTableBuilder.localPath(manifests[0].path))))
        for number in 0..<orphans {
            let token = UUID().uuidString.lowercased()
            switch number % 100 {
            case 0: orphanPaths.append("\(table.location)/metadata/\(token)-m0.avro")
            case 50: orphanPaths.append("\(table.location)/metadata/snap-\(table.newSnapshotId())-1-\(token).avro")
            default: orphanPaths.append("\(table.location)/\(dataPath(live + number))")
            }
            try table.writeFile(orphanPaths.last!, bytes: orphanPaths.last!.hasSuffix(".avro") ? manifestBytes : table.template)
        }
        try setModificationTimes(under: table.location, toMs: nowMs - 30 * dayMs)
        var youngPaths: [String] = []
        for number in 0..<young {
            youngPaths.append("\(table.location)/\(dataPath(live + orphans + number))")
            try table.writeFile(youngPaths.last!, bytes: table.template)
        }
        let expected = try JSONSerialization.data(withJSONObject: ["orphans": orphanPaths, "young": youngPaths], options: [.sortedKeys])
        try expected.write(to: URL(fileURLWithPath: "\(root)/expected.json"))
        try report("make-orphan-table", ["live_data_files": live, "orphans": orphans, "young": young])
    }

    /// Sets the modification (and access) time of every file under `directory` to `milliseconds` since the epoch.
    private static func setModificationTimes(under directory: String, toMs milliseconds: Int64) throws {
        let local = BenchTableBuilder.localPath(directory)
        let time = timeval(tv_sec: Int(milliseconds / 1000), tv_usec: 0)
        guard let walker = FileManager.default.enumerator(atPath: local) else {
            throw BenchError(description: "cannot list \(local)")
        }
        for case let relative as String in walker {
            let times = [time, time]
            guard utimes("\(local)/\(relative)", times) == 0 else {
                throw BenchError(description: "cannot set the time of \(local)/\(relative): errno \(errno)")
            }
        }
    }
}
