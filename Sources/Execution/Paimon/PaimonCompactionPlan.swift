import IcebergSpec
import Paimon

/// A compaction plan for a Paimon table (`amoro.plan` with `format: paimon`): tasks per partition and bucket, each
/// naming the live files it rewrites into files of the target size. Made by `PaimonCompactionPlanner`; checked
/// against the table again by `PaimonCompact` before anything is written (a plan is untrusted input).
package struct PaimonCompactionPlan: Sendable, Equatable {
    /// One input file, as the plan saw it.
    package struct InputFile: Sendable, Equatable {
        package var fileName: String
        package var size: Int64
        package var rowCount: Int64

        package init(fileName: String, size: Int64, rowCount: Int64) {
            self.fileName = fileName
            self.size = size
            self.rowCount = rowCount
        }
    }

    package struct Task: Sendable, Equatable {
        package var id: Int
        /// The partition's directory (`dt=2024-05-01`; empty when unpartitioned), for people.
        package var partition: String
        /// The partition as Paimon's serialized binary row, lower-case hex: what the task is checked by.
        package var partitionRow: String
        package var bucket: Int
        /// Which of Paimon's triggers chose the files.
        package var reason: String
        package var files: [InputFile]
        /// Primary-key tasks: the level the merged runs go to (the top level drops retractions); nil for append
        /// tasks, whose outputs stay at level 0.
        package var outputLevel: Int?

        package init(id: Int, partition: String, partitionRow: String, bucket: Int, reason: String, files: [InputFile],
            outputLevel: Int? = nil)
        {
            self.id = id
            self.partition = partition
            self.partitionRow = partitionRow
            self.bucket = bucket
            self.reason = reason
            self.files = files
            self.outputLevel = outputLevel
        }

        package var inputBytes: Int64 { files.reduce(Int64(0)) { $0.saturatingAdd($1.size) } }
    }

    /// Files the plan leaves alone, and why, a partition's bucket at a time: files amoro does not rewrite (an
    /// external path, another format, data evolution, row tracking); in a primary-key table such a file holds back
    /// its whole bucket, whose merge needs every run. For people: a compaction never reads it.
    package struct Skipped: Sendable, Equatable {
        /// The partition's directory, as in tasks.
        package var partition: String
        package var bucket: Int
        /// How many of the bucket's live files amoro does not rewrite.
        package var files: Int
        /// Why (the first such file's reason), and for primary-key buckets that the bucket is left alone.
        package var reason: String

        package init(partition: String, bucket: Int, files: Int, reason: String) {
            self.partition = partition
            self.bucket = bucket
            self.files = files
            self.reason = reason
        }
    }

    package var catalog: String
    package var table: String
    package var location: String
    /// The snapshot planned on; the compaction commits on the head, as long as every input is still live there.
    package var snapshotId: Int64
    package var planTimeMs: Int64
    /// The level asked for (`minor`, `major`, `full`, `auto`).
    package var level: String
    package var targetFileSize: Int64
    package var tasks: [Task]
    package var skipped: [Skipped]

    package init(catalog: String, table: String, location: String, snapshotId: Int64, planTimeMs: Int64, level: String,
        targetFileSize: Int64, tasks: [Task], skipped: [Skipped] = [])
    {
        self.catalog = catalog
        self.table = table
        self.location = location
        self.snapshotId = snapshotId
        self.planTimeMs = planTimeMs
        self.level = level
        self.targetFileSize = targetFileSize
        self.tasks = tasks
        self.skipped = skipped
    }
}

extension PaimonCompactionPlan {
    /// Lower-case hex of bytes (a partition row in a plan).
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of lower-case or upper-case hex; nil for anything else.
    package static func bytes(hex text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
