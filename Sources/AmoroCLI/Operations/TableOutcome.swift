import JSONCoding

/// What one table's work came to: the status the summary log line, the metrics file and the exit code are made
/// from, with the numbers a command knows (nil where it does not).
struct TableOutcome: Sendable {
    enum Status: String, Sendable {
        /// The work was done (a read-only command always ends so).
        case done
        /// The table needed nothing.
        case nothingToDo = "nothing-to-do"
        /// Checked and reported; nothing written.
        case dryRun = "dry-run"
        /// Another run held the table's lock; the table was skipped.
        case locked
        case failed
    }

    var status: Status = .done
    /// The optimizing level, for commands that have one.
    var level: String?
    var filesIn: Int64?
    var bytesIn: Int64?
    var filesOut: Int64?
    var bytesOut: Int64?
    /// The snapshot the run committed.
    var snapshotId: Int64?
    /// The table's health as a scan found it.
    var health: HealthNumbers?
}

/// The numbers of an `amoro.scan` document that monitoring wants: data files by Amoro's size class, delete files
/// by kind, and the health score.
struct HealthNumbers: Sendable, Equatable {
    var fragmentFiles: Int64 = 0
    var undersizedFiles: Int64 = 0
    var segmentFiles: Int64 = 0
    var dataBytes: Int64 = 0
    var positionDeleteFiles: Int64 = 0
    var equalityDeleteFiles: Int64 = 0
    var deletionVectors: Int64 = 0
    var score: Int64 = 100

    init() {}

    /// Reads a whole-table `amoro.scan` document (partitions unfiltered).
    init(scan document: JSON) {
        for partition in document["partitions"]?.arrayValue ?? [] {
            let files = partition["data_files"]
            fragmentFiles += files?["fragment"]?["files"]?.int64Value ?? 0
            undersizedFiles += files?["undersized_segment"]?["files"]?.int64Value ?? 0
            segmentFiles += files?["segment"]?["files"]?.int64Value ?? 0
        }
        let totals = document["totals"]
        dataBytes = totals?["data_bytes"]?.int64Value ?? 0
        positionDeleteFiles = totals?["position_delete_files"]?.int64Value ?? 0
        equalityDeleteFiles = totals?["equality_delete_files"]?.int64Value ?? 0
        deletionVectors = totals?["deletion_vectors"]?.int64Value ?? 0
        score = document["health"]?["score"]?.int64Value ?? 100
    }
}
