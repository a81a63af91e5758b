import IcebergSpec
import Planning
import Testing

/// Data expiration's decisions from metadata: Amoro's rules, and the cases where amoro keeps a file Amoro would
/// remove (nulls, undecidable strings, no base time).
@Suite struct DataExpirationTests {
    static let day: Int64 = 86_400_000
    /// 2024-01-05T00:00:00Z, the cut-off of the tests (now 2024-01-09, retention 4 days).
    static let cutoff: Int64 = 1_704_412_800_000
    static let now = cutoff + 4 * day

    static func schema(_ type: PrimitiveType, required: Bool = false) -> Schema {
        Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
            NestedField(id: 2, name: "f", isRequired: required, type: .primitive(type))])
    }

    static func config(_ properties: [String: String] = [:]) throws -> DataExpirationConfig {
        try DataExpirationConfig(tableProperties: ["data-expire.enabled": "true", "data-expire.field": "f",
            "data-expire.retention-time": "4d", "data-expire.base-on-rule": "CURRENT_TIME", "data-expire.level": "file"]
            .merging(properties) { $1 })
    }

    static func file(_ path: String, lower: Literal?, upper: Literal?, nulls: Int64? = 0, partition: [Literal?] = [], spec: Int = 0)
        -> DataFile
    {
        var file = DataFile(content: .data, filePath: path, fileFormat: "PARQUET", specId: spec, partition: partition, recordCount: 10,
            fileSizeInBytes: 100)
        if let lower { file.lowerBounds = [2: lower.binary] }
        if let upper { file.upperBounds = [2: upper.binary] }
        if let nulls { file.nullValueCounts = [2: nulls] }
        return file
    }

    static func decide(_ type: PrimitiveType, _ files: [DataFile], properties: [String: String] = [:],
        specs: [Int: PartitionSpec] = [0: PartitionSpec(specId: 0, fields: [])]) throws -> [String: DataExpiration.Verdict]
    {
        let expiration = try DataExpiration(config: try config(properties), schema: schema(type), snapshots: [],
            currentSnapshotId: nil, nowMs: now)
        return Dictionary(uniqueKeysWithValues: expiration.decide(files, specs: specs, schema: schema(type)).map { ($0.path, $0.verdict) })
    }

    @Test func timestampsExpireAtOrBeforeTheCutoffInclusively() throws {
        let micros = Self.cutoff * 1000
        let verdicts = try Self.decide(.timestamptz, [
            Self.file("old", lower: .timestamptz(0), upper: .timestamptz(micros - 1)),
            Self.file("at", lower: .timestamptz(0), upper: .timestamptz(micros)),
            Self.file("after", lower: .timestamptz(0), upper: .timestamptz(micros + 1)),
            Self.file("nulls", lower: .timestamptz(0), upper: .timestamptz(0), nulls: 1),
            Self.file("no-null-count", lower: .timestamptz(0), upper: .timestamptz(0), nulls: nil),
            Self.file("no-bounds", lower: nil, upper: nil),
        ])
        #expect(verdicts == ["old": .expired, "at": .expired, "after": .fresh, "nulls": .undecided, "no-null-count": .undecided,
            "no-bounds": .undecided])
    }

    @Test func longsDatesAndStringsUseTheirUnits() throws {
        #expect(try Self.decide(.long, [Self.file("ms", lower: .long(0), upper: .long(Self.cutoff)),
            Self.file("ms+1", lower: .long(0), upper: .long(Self.cutoff + 1))]) == ["ms": .expired, "ms+1": .fresh])
        #expect(try Self.decide(.long, [Self.file("s", lower: .long(0), upper: .long(Self.cutoff / 1000)),
            Self.file("s+1", lower: .long(0), upper: .long(Self.cutoff / 1000 + 1))],
            properties: ["data-expire.datetime-number-format": "TIMESTAMP_S"]) == ["s": .expired, "s+1": .fresh])
        let cutoffDay = Int32(Self.cutoff / Self.day)
        #expect(try Self.decide(.date, [Self.file("day", lower: .date(0), upper: .date(cutoffDay)),
            Self.file("day+1", lower: .date(0), upper: .date(cutoffDay + 1))]) == ["day": .expired, "day+1": .fresh])
        let strings = try Self.decide(.string, [
            Self.file("old", lower: .string("2024-01-01"), upper: .string("2024-01-05")),
            Self.file("fresh", lower: .string("2024-01-01"), upper: .string("2024-01-06")),
            // A truncated upper bound (PyIceberg's 16 characters, last one incremented) does not parse: kept.
            Self.file("truncated", lower: .string("2024-01-01"), upper: .string("2024-01-0")),
            Self.file("foreign", lower: .string("2024-01-01"), upper: .string("yesterday")),
        ])
        #expect(strings == ["old": .expired, "fresh": .fresh, "truncated": .undecided, "foreign": .undecided])
        // dd-MM-yyyy does not sort as time: bounds never decide.
        #expect(try Self.decide(.string, [Self.file("x", lower: .string("01-01-2020"), upper: .string("02-01-2020"))],
            properties: ["data-expire.datetime-string-pattern": "dd-MM-yyyy"]) == ["x": .undecided])
    }

    @Test func partitionValuesDecideWithoutBoundsAndPartitionLevelKeepsMixedPartitions() throws {
        let spec = PartitionSpec(specId: 0, fields: [PartitionField(sourceId: 2, fieldId: 1000, name: "f_day", transform: .day)])
        let cutoffDay = Int32(Self.cutoff / Self.day)
        let files = [
            // Day cutoffDay-1 ends at the cut-off minus a microsecond: expired by its partition alone.
            Self.file("a", lower: nil, upper: nil, partition: [.date(cutoffDay - 1)]),
            // Day cutoffDay holds times after the cut-off.
            Self.file("b", lower: nil, upper: nil, partition: [.date(cutoffDay)]),
            Self.file("c", lower: .timestamp(0), upper: .timestamp(Self.cutoff * 1000), partition: [.date(cutoffDay)]),
        ]
        #expect(try Self.decide(.timestamp, files, specs: [0: spec]) == ["a": .expired, "b": .fresh, "c": .expired])
        #expect(try Self.decide(.timestamp, files, properties: ["data-expire.level": "partition"], specs: [0: spec])
            == ["a": .expired, "b": .fresh, "c": .partitionKept])
    }

    @Test func lastCommitTimeIsTheNewestDataCommitOnMain() {
        func snapshot(_ id: Int64, _ operation: Snapshot.Operation, _ producer: String? = nil) -> Snapshot {
            Snapshot(snapshotId: id, parentSnapshotId: id == 1 ? nil : id - 1, sequenceNumber: id, timestampMs: id * 1000,
                manifestList: nil, summary: .init(operation: operation, properties: producer.map { ["snapshot.producer": $0] } ?? [:]),
                schemaId: 0)
        }
        let snapshots = [snapshot(1, .append), snapshot(2, .overwrite), snapshot(3, .replace), snapshot(4, .delete, "DATA_EXPIRATION"),
            snapshot(5, .replace, "OPTIMIZE"), snapshot(6, .append), snapshot(7, .append)]
        #expect(DataExpiration.lastCommitTime(snapshots: snapshots, currentSnapshotId: 5) == 2000)
        // Snapshot 7 is on another branch's history only when main is at 6.
        #expect(DataExpiration.lastCommitTime(snapshots: snapshots, currentSnapshotId: 6) == 6000)
        #expect(DataExpiration.lastCommitTime(snapshots: Array(snapshots[2...4]), currentSnapshotId: 5) == nil)
    }

    @Test func settingsAreCheckedAndFollowAmorosDefaults() throws {
        let defaults = DataExpirationConfig()
        #expect(!defaults.expires && defaults.level == .partition && defaults.baseRule == .lastCommitTime)
        #expect(try DataExpirationConfig(tableProperties: ["data-expire.retention-time": "90"]).retentionMs == 90, "a bare number is ms")
        #expect(throws: PropertyError.self) { try DataExpirationConfig(tableProperties: ["data-expire.level": "table"]) }
        #expect(throws: PropertyError.self) { try DataExpirationConfig(tableProperties: ["data-expire.datetime-string-pattern": "MMM d"]) }
        #expect(try !Self.config(["gc.enabled": "false"]).expires)
        #expect(throws: PropertyError.self) {
            try DataExpiration(config: try Self.config(), schema: Self.schema(.int), snapshots: [], currentSnapshotId: nil, nowMs: 0)
        }
    }
}

/// Java `DateTimeFormatter` patterns as amoro reads and writes them.
@Suite struct DateTimePatternTests {
    @Test func formatsAndParsesLikeJava() throws {
        let ms: Int64 = 1_709_294_405_123  // 2024-03-01T12:00:05.123Z
        #expect(try DateTimePattern("'tag-'yyyyMMdd").format(epochMs: ms) == "tag-20240301")
        #expect(try DateTimePattern("'tag-'yyyyMMddHH").format(epochMs: ms) == "tag-2024030112")
        #expect(try DateTimePattern("yyyy-MM-dd HH:mm:ss.SSS").format(epochMs: ms) == "2024-03-01 12:00:05.123")
        #expect(try DateTimePattern("yy/M/d 'o''clock'").format(epochMs: ms) == "24/3/1 o'clock")
        #expect(try DateTimePattern("yyyy-MM-dd HH:mm:ss.SSS").parse("2024-03-01 12:00:05.123") == ms)
        #expect(try DateTimePattern("yyyyMMdd").parse("20240301") == ms - ms % 86_400_000)
        #expect(try DateTimePattern("yyyy-MM-dd").parse("2024-02-30") == nil)
        #expect(try DateTimePattern("yyyy-MM-dd").parse("2024-03-01 ") == nil)
        #expect(throws: DateTimePattern.Invalid.self) { try DateTimePattern("yyyy-MM-dd z") }
        #expect(throws: DateTimePattern.Invalid.self) { try DateTimePattern("'open") }
        #expect(try DateTimePattern("yyyy-MM-dd HH").sortsAsTime)
        #expect(try !DateTimePattern("dd-MM-yyyy").sortsAsTime)
        #expect(try !DateTimePattern("yyyy-M-d").sortsAsTime)
    }
}
