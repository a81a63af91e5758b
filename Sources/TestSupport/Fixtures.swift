import Foundation

/// Locations of the package and of temporary folders for tests.
package enum Fixtures {
    /// The package root, found from this file's path (tests run from any working directory).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// A fresh empty folder under the system's temporary directory; remove it with `removeTemporaryDirectory`.
    package static func makeTemporaryDirectory(_ label: String = "amoro-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` with a fresh temporary folder and removes the folder afterwards.
    package static func withTemporaryDirectory<T>(_ label: String = "amoro-test", _ body: (URL) throws -> T) throws -> T
    {
        let url = try makeTemporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }
}
