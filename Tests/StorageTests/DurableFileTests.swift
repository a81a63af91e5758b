import Foundation
import Storage
import Testing
import TestSupport

@Suite struct DurableFileTests {
    /// A published file appears under its name with what was written, in directories made on the way; its
    /// temporary name is gone, and both names were journaled before anything was created.
    @Test func publishesWholeFilesIntoNewDirectories() throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let journal = try WriteJournal(path: root.appendingPathComponent("journal").path)
        let file = try WriteJournal.$current.withValue(journal) {
            try DurableFile(directory: "\(root.path)/a/b/", name: "f.parquet", location: "file:\(root.path)/a/b/f.parquet")
        }
        #expect(file.path == "\(root.path)/a/b/f.parquet")
        #expect(FileManager.default.fileExists(atPath: file.temporaryPath))
        #expect(!FileManager.default.fileExists(atPath: file.path))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file.temporaryPath))
        try file.publish()
        #expect(FileManager.default.contents(atPath: file.path) == Data([1, 2, 3]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root.path)/a/b") == ["f.parquet"])
        let journaled = try String(contentsOfFile: journal.path, encoding: .utf8)
        #expect(journaled.contains(file.temporaryPath) && journaled.contains("file:\(root.path)/a/b/f.parquet"))
    }

    /// A file already under the final name is never replaced (the writers' names are unique, so one there is
    /// someone else's), and the temporary file is removed either way; `replace` swaps it atomically instead.
    @Test func neverPublishesOverAnExistingFile() throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data([9]).write(to: root.appendingPathComponent("f"))
        let file = try DurableFile(directory: root.path, name: "f")
        try Data([1]).write(to: URL(fileURLWithPath: file.temporaryPath))
        #expect(throws: StorageError.alreadyExists("\(root.path)/f")) { try file.publish() }
        #expect(FileManager.default.contents(atPath: "\(root.path)/f") == Data([9]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["f"])
        let replacing = try DurableFile(directory: root.path, name: "f")
        try Data([2]).write(to: URL(fileURLWithPath: replacing.temporaryPath))
        try replacing.replace()
        #expect(FileManager.default.contents(atPath: "\(root.path)/f") == Data([2]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["f"])
    }

    /// Only a plain name in an absolute directory without `.` or `..` is written, and a link planted under the
    /// temporary name is not written through; `discard` leaves nothing.
    @Test func refusesNamesThatLeaveTheDirectory() throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for (directory, name) in [(root.path, "../f"), (root.path, ".."), (root.path, ""), ("relative/dir", "f"), ("\(root.path)/../x", "f")] {
            #expect(throws: StorageError.self, "\(directory) \(name)") { try DurableFile(directory: directory, name: name) }
        }
        #expect(!FileManager.default.fileExists(atPath: root.deletingLastPathComponent().appendingPathComponent("f").path))
        try Data([1]).write(to: root.appendingPathComponent("file"))
        #expect(throws: StorageError.self) { try DurableFile.makeDirectories("\(root.path)/file/below") }
        #expect(throws: StorageError.self) { try DurableFile.makeDirectories("\(root.path)/file") }
        try FileManager.default.removeItem(at: root.appendingPathComponent("file"))
        let file = try DurableFile(directory: root.path, name: "g")
        file.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }
}
