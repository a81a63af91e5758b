import Execution
import JSONCoding

/// A file a maintenance run names with a note: why it was skipped (`files_skipped`, note member `reason`) or why
/// it could not be deleted (`delete_failures`, note member `error`).
package struct FileNote: Sendable, Equatable {
    package var path: String
    package var note: String

    package init(path: String, note: String) {
        self.path = path
        self.note = note
    }

    /// Files an audit listed that the run left alone, with why.
    package static func skipped(_ files: [(path: String, reason: String)]) -> [FileNote] {
        files.map { FileNote(path: $0.path, note: $0.reason) }
    }

    /// Deletes that failed, and files never deleted because they lie outside the table location.
    package static func failures(_ deletion: FileDeletion?) -> [FileNote] {
        let failed = (deletion?.failed ?? []).map { FileNote(path: $0.path, note: $0.error) }
        return failed + (deletion?.refused ?? []).map { FileNote(path: $0.path, note: "not deleted: \($0.reason)") }
    }

    /// The JSON array of `notes`, the note under `noteKey`.
    package static func json(_ notes: [FileNote], noteKey: String) -> JSON {
        .array(notes.map { .object([("path", .string($0.path)), (noteKey, .string($0.note))]) })
    }

    /// Reads the array `key` of `fields`, the note under `noteKey`.
    package static func read(_ fields: DocumentFields, _ key: String, noteKey: String) throws(DocumentError) -> [FileNote] {
        try fields.objects(key) { (file) throws(DocumentError) in
            FileNote(path: try file.string("path"), note: try file.string(noteKey))
        }
    }
}
