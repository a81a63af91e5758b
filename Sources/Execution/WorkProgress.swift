import IcebergSpec
import Synchronization

/// How far a long table operation has come, in files and bytes, for a progress display. Actions report it after
/// each unit of work (a compaction task, a batch of deleted files); the command decides whether to show it.
package struct WorkProgress: Sendable, Equatable {
    package var filesDone: Int
    package var filesTotal: Int
    package var bytesDone: Int64
    package var bytesTotal: Int64

    package init(filesDone: Int = 0, filesTotal: Int, bytesDone: Int64 = 0, bytesTotal: Int64) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
    }
}

/// A `WorkProgress` that concurrent workers add to; each addition returns the new total to report.
package final class WorkProgressCounter: Sendable {
    private let state: Mutex<WorkProgress>

    package init(_ start: WorkProgress) { state = Mutex(start) }

    package var current: WorkProgress { state.withLock { $0 } }

    package func add(files: Int, bytes: Int64) -> WorkProgress {
        state.withLock { progress in
            progress.filesDone += files
            progress.bytesDone = progress.bytesDone.saturatingAdd(bytes)
            return progress
        }
    }
}
