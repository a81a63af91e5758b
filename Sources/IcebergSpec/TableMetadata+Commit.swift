extension TableMetadata {
    /// The metadata after committing `snapshot` to the `main` branch (spec "Snapshots", Java's metadata builder):
    /// the snapshot is appended and becomes current, `last-sequence-number` follows it, the snapshot log and the
    /// metadata log grow (the latter bounded by `write.metadata.previous-versions-max`, default 100), and v3's
    /// `next-row-id` advances by the rows the snapshot assigned.
    package func committing(_ snapshot: Snapshot, previousMetadataLocation: String, nowMs: Int64) -> TableMetadata {
        var next = self
        next.snapshots.append(snapshot)
        var main = refs["main"] ?? SnapshotRef(snapshotId: snapshot.snapshotId, kind: .branch)
        main.snapshotId = snapshot.snapshotId
        next.refs["main"] = main
        next.currentSnapshotId = snapshot.snapshotId
        next.lastSequenceNumber = max(lastSequenceNumber, snapshot.sequenceNumber)
        next.lastUpdatedMs = max(nowMs, lastUpdatedMs)
        next.snapshotLog.append(SnapshotLogEntry(timestampMs: snapshot.timestampMs, snapshotId: snapshot.snapshotId))
        next.logPreviousMetadata(previousMetadataLocation, writtenMs: lastUpdatedMs)
        if formatVersion >= 3, let addedRows = snapshot.addedRows {
            next.nextRowId = (nextRowId ?? 0) + addedRows
        }
        return next
    }

    /// The number of previous metadata files the metadata log keeps (`write.metadata.previous-versions-max`,
    /// default 100, at least 1).
    package var previousVersionsMax: Int { max(1, Int(properties["write.metadata.previous-versions-max"] ?? "") ?? 100) }

    /// Appends the metadata file this version replaces to the metadata log, dropping the oldest entries beyond
    /// `previousVersionsMax`.
    mutating func logPreviousMetadata(_ location: String, writtenMs: Int64) {
        metadataLog.append(MetadataLogEntry(timestampMs: writtenMs, metadataFile: location))
        if metadataLog.count > previousVersionsMax { metadataLog.removeFirst(metadataLog.count - previousVersionsMax) }
    }

    /// A new snapshot id: positive, random, and unused in this table (Java's UUID-derived ids are random too).
    package func newSnapshotId() -> Int64 {
        while true {
            let id = Int64.random(in: 1...Int64.max)
            if snapshot(id: id) == nil { return id }
        }
    }

    /// The directory new metadata files go to.
    package var metadataDirectory: String {
        properties["write.metadata.path"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "\(location)/metadata"
    }
}

extension TableMetadata {
    /// The metadata after adding `refs` (new tags or branches; names already taken are the caller's to refuse):
    /// only the refs, `last-updated-ms` and the metadata log change.
    package func addingRefs(_ refs: [String: SnapshotRef], previousMetadataLocation: String, nowMs: Int64) -> TableMetadata {
        var next = self
        next.refs.merge(refs) { _, new in new }
        next.lastUpdatedMs = max(nowMs, lastUpdatedMs)
        next.logPreviousMetadata(previousMetadataLocation, writtenMs: lastUpdatedMs)
        return next
    }
}
