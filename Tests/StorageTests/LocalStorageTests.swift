import Foundation
import Storage
import Testing
import TestSupport

@Suite struct LocalStorageTests {
    let storage = LocalStorage()

    @Test func writesReadsAndRangesWholeFiles() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let location = "file://\(root.path)/a/b/data.bin"
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try await storage.write(location, bytes: bytes, mode: .createNew)
        #expect(try await storage.read(location) == bytes)
        #expect(try await storage.read("\(root.path)/a/b/data.bin", range: 10..<20) == Array(bytes[10..<20]))
        #expect(try await storage.size("file:\(root.path)/a/b/data.bin") == 100_000)
        await #expect(throws: StorageError.self) { try await storage.read(location, range: 99_990..<100_001) }
    }

    @Test func createNewNeverReplacesAndLeavesNoTemporaryFiles() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let location = "\(root.path)/v1.metadata.json"
        try await storage.write(location, bytes: [1], mode: .createNew)
        await #expect(throws: StorageError.alreadyExists(location)) {
            try await storage.write(location, bytes: [2], mode: .createNew)
        }
        #expect(try await storage.read(location) == [1])
        try await storage.write(location, bytes: [3], mode: .replace)
        #expect(try await storage.read(location) == [3])
        let listed = try await storage.list(prefix: root.path)
        #expect(listed.map(\.location) == [location])
    }

    @Test func concurrentCreatorsOfOneFileHaveExactlyOneWinner() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let location = "\(root.path)/00001.metadata.json"
        let storage = self.storage
        let wins = await withTaskGroup(of: Bool.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    (try? await storage.write(location, bytes: [UInt8(writer)], mode: .createNew)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }

    @Test func listsTreesWithSizesAndTimesButNotLinks() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try await storage.write("\(root.path)/data/p=1/f1.parquet", bytes: [1, 2, 3], mode: .createNew)
        try await storage.write("\(root.path)/metadata/v1.metadata.json", bytes: [4], mode: .createNew)
        try FileManager.default.createSymbolicLink(atPath: "\(root.path)/link", withDestinationPath: "/etc")
        let files = try await storage.list(prefix: "file://\(root.path)").sorted { $0.location < $1.location }
        #expect(files.map(\.location) == ["\(root.path)/data/p=1/f1.parquet", "\(root.path)/metadata/v1.metadata.json"])
        #expect(files.first?.size == 3)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(files.allSatisfy { abs($0.modifiedMs - now) < 600_000 })
        #expect(try await storage.list(prefix: "\(root.path)/missing").isEmpty)
    }

    @Test func errorsNameTheLocation() async throws {
        await #expect(throws: StorageError.notFound("/definitely/not/here")) {
            try await storage.read("/definitely/not/here")
        }
        await #expect(throws: StorageError.unsupportedLocation("s3://bucket/key")) {
            try await storage.read("s3://bucket/key")
        }
        try await storage.delete("/definitely/not/here")  // deleting nothing is fine
    }
}
