import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Storage

/// Local files for one compaction task of a table on an object store.
///
/// The rewrite reads and writes local Parquet files (ranged reads and a streaming writer on disk); on an object
/// store each input data file is downloaded into a private temporary directory first, and each finished output
/// file is uploaded afterwards with `createNew` (a large one in parts read from disk one at a time, so memory holds
/// a part, not the file) and recorded under its object-store location. Tables on local
/// disk use their files in place. The temporary directory is removed by `finish()`, whatever happened; one left by a
/// process that was killed carries that process's id in its name (`amoro-staging-<pid>-<uuid>`) and is removed by
/// the next amoro process that stages, once no process has that id.
package struct TaskStaging: Sendable {
    /// Reads staged outputs back as the bytes the upload sends, without another copy.
    /// The temporary directory, or nil when the table is local.
    private let root: URL?

    init(tableDirectory: String) throws {
        guard let location = Location(tableDirectory), !location.isLocal else {
            root = nil
            return
        }
        _ = Self.sweptDeadRuns
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(Self.namePrefix)\(getpid())-\(UUID().uuidString.lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        root = url
    }

    /// A local path holding the data file at `location`.
    func localPath(of location: String, storage: any Storage) async throws -> String {
        guard let parsed = Location(location) else { throw IcebergError.storage(.unsupportedLocation(location)) }
        if parsed.isLocal { return parsed.path }
        guard let root else { throw IcebergError.storage(.unsupportedLocation(location)) }
        let path = root.appendingPathComponent("in-\(UUID().uuidString.lowercased()).parquet").path
        let bytes: [UInt8]
        do { bytes = try await storage.read(location) } catch { throw IcebergError.storage(error) }
        do {
            // A private scratch copy: written straight from the downloaded bytes, not synced.
            let sink = try FileSink(path: path)
            try sink.write(bytes)
            try sink.close()
        } catch {
            throw IcebergError.storage(.io(path, "cannot stage a copy of \(location): \(error)"))
        }
        return path
    }

    /// Where the rolling writer puts the files meant for `directory`.
    func writeDirectory(for directory: String) -> String {
        root.map { $0.appendingPathComponent("out").path } ?? directory
    }

    /// Uploads staged `files` into `directory` and returns them with their final locations; on failure the
    /// uploaded ones are deleted again before the error is thrown.
    func publish(_ files: [DataFile], to directory: String, storage: any Storage) async throws -> [DataFile] {
        guard root != nil else { return files }
        var published: [DataFile] = []
        do {
            for file in files {
                var moved = file
                moved.filePath = try await publish(fileNamed: file.filePath.split(separator: "/").last.map(String.init) ?? "",
                    to: directory, storage: storage)
                published.append(moved)
            }
        } catch {
            for file in published { try? await storage.delete(file.filePath) }
            throw error
        }
        return published
    }

    /// Uploads the staged file `name` into `directory` (with `createNew`) and returns its location there; on a
    /// local table, where nothing is staged, just that location.
    func publish(fileNamed name: String, to directory: String, storage: any Storage) async throws -> String {
        let location = "\(directory)/\(name)"
        guard root != nil else { return location }
        do {
            try await storage.upload(location, fromLocalFile: "\(writeDirectory(for: directory))/\(name)", mode: .createNew)
        } catch {
            throw IcebergError.storage(error)
        }
        return location
    }

    /// Removes the temporary directory.
    func finish() {
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    private static let namePrefix = "amoro-staging-"

    /// Once per process: the staging directories of amoro processes that no longer exist are removed.
    private static let sweptDeadRuns: Void = { sweepDeadRuns(in: FileManager.default.temporaryDirectory) }()

    /// Removes the staging directories in `folder` whose process (the id in their name) no longer exists.
    package static func sweepDeadRuns(in folder: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(namePrefix) {
            guard let pid = Int32(name.dropFirst(namePrefix.count).prefix { $0 != "-" }), pid > 0, pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
