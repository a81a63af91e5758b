import Documents
import Execution
import Planning

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
    /// How long the rewrite itself took, and on how many cores (compactions).
    var rewrite: PhaseTiming?
    /// The table's health as a scan found it.
    var health: HealthNumbers?
}

/// The numbers of an `amoro.scan` document that monitoring wants: data files by Amoro's size class, delete files
/// by kind, the health score and the manifests by content.
struct HealthNumbers: Sendable, Equatable {
    var fragmentFiles: Int64 = 0
    var undersizedFiles: Int64 = 0
    var segmentFiles: Int64 = 0
    var dataBytes: Int64 = 0
    var positionDeleteFiles: Int64 = 0
    var equalityDeleteFiles: Int64 = 0
    var deletionVectors: Int64 = 0
    var score: Int64 = 100
    var dataManifests: Int64 = 0
    var deleteManifests: Int64 = 0

    init() {}

    /// The numbers of a whole-table `amoro.scan` document (partitions unfiltered).
    init(scan document: ScanDocument) {
        for partition in document.partitions {
            fragmentFiles += Int64(partition.fragment.files)
            undersizedFiles += Int64(partition.undersizedSegment.files)
            segmentFiles += Int64(partition.segment.files)
        }
        let totals = document.totals
        dataBytes = totals.dataBytes
        positionDeleteFiles = Int64(totals.positionDeleteFiles)
        equalityDeleteFiles = Int64(totals.equalityDeleteFiles)
        deletionVectors = Int64(totals.deletionVectors)
        score = Int64(document.health.score)
        dataManifests = Int64(document.manifests?.dataManifests ?? 0)
        deleteManifests = Int64(document.manifests?.deleteManifests ?? 0)
    }
}
