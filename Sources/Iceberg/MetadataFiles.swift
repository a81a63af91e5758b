import Compression
import IcebergSpec
import JSONCoding
import Storage

/// Reading and naming table metadata files (spec "Table Metadata"; Java's metastore naming).
package enum MetadataFiles {
    /// Reads and parses a metadata file; gzip-compressed files (`.gz.metadata.json`, `.metadata.json.gz`) are
    /// detected by name.
    package static func read(_ location: String, storage: any Storage) async throws(IcebergError) -> TableMetadata {
        var bytes: [UInt8]
        do { bytes = try await storage.read(location) } catch { throw .storage(error) }
        if location.hasSuffix(".gz.metadata.json") || location.hasSuffix(".metadata.json.gz") {
            do { bytes = try CompressionCodec.gzip.decompress(bytes) } catch {
                throw .invalidFile(location, "cannot decompress gzip metadata: \(error)")
            }
        }
        do { return try TableMetadata(jsonText: bytes) } catch { throw .invalidFile(location, error.description) }
    }

    /// Writes `metadata` to a new file (never replacing one) and returns its location.
    package static func write(_ metadata: TableMetadata, to location: String, storage: any Storage)
        async throws(IcebergError)
    {
        var bytes = Array(metadata.json.rendered().utf8)
        if location.hasSuffix(".gz.metadata.json") {
            do { bytes = try CompressionCodec.gzip.compress(bytes) } catch {
                throw .invalidFile(location, "cannot compress metadata: \(error)")
            }
        }
        do { try await storage.write(location, bytes: bytes, mode: .createNew) } catch { throw .storage(error) }
    }

    /// `<metadata dir>/<NNNNN>-<uuid>.metadata.json` for the version after `previous` (Java's and PyIceberg's
    /// naming): the metadata directory is `write.metadata.path` or `<location>/metadata`, and the table's
    /// `write.metadata.compression-codec=gzip` gives a `.gz.metadata.json` name.
    package static func nextLocation(for metadata: TableMetadata, previous: String?, uuid: String) -> String {
        let directory = metadata.properties["write.metadata.path"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            ?? "\(metadata.location)/metadata"
        let version = (previous.map(version(of:)) ?? -1) + 1
        let number = String(version)
        let padded = String(repeating: "0", count: max(0, 5 - number.count)) + number
        let gzip = metadata.properties["write.metadata.compression-codec"]?.lowercased() == "gzip"
        return "\(directory)/\(padded)-\(uuid)\(gzip ? ".gz" : "").metadata.json"
    }

    /// The version number of a metadata file name: the digits before the first `-` (`00003-…` → 3), or of
    /// `v3.metadata.json`; -1 when the name has none.
    package static func version(of location: String) -> Int {
        let name = location.split(separator: "/").last.map(String.init) ?? location
        if name.hasPrefix("v"), let dot = name.firstIndex(of: "."), let number = Int(name.dropFirst().prefix(upTo: dot)) {
            return number <= maxVersion ? number : -1
        }
        guard let dash = name.firstIndex(of: "-"), let number = Int(name[..<dash]), number <= maxVersion else { return -1 }
        return number
    }

    /// The largest metadata version a table may reach: Java's versions are 32-bit, so anything larger is bad data,
    /// and every version stays one increment away from overflowing.
    package static let maxVersion = Int(Int32.max)

    /// The version a `version-hint.text` holds; nil when it holds no version from 0 to `maxVersion`.
    package static func hintVersion(_ bytes: [UInt8]) -> Int? {
        guard let number = Int(String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }),
            (0...maxVersion).contains(number)
        else { return nil }
        return number
    }
}
