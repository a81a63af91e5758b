import Iceberg
import IcebergSpec
import Testing

@Suite struct MetricsRulesTests {
    @Test(arguments: [
        ("abc", 16, "abc", "abc"),
        ("abcdef", 3, "abc", "abd"),
        // Code points, not bytes: the 4-byte emoji counts as one.
        ("a😀bc", 2, "a😀", "a😁"),
        // The largest code point cannot be incremented: the one before it is.
        ("a\u{10FFFF}z", 2, "a\u{10FFFF}", "b"),
        // Incrementing past the surrogate range skips it.
        ("\u{D7FF}xyz", 1, "\u{D7FF}", "\u{E000}"),
    ])
    func stringTruncation(input: String, length: Int, lower: String, upper: String) {
        #expect(BoundTruncation.lowerBound(string: input, length: length) == lower)
        #expect(BoundTruncation.upperBound(string: input, length: length) == upper)
    }

    @Test func stringUpperBoundMayNotExist() {
        #expect(BoundTruncation.upperBound(string: "\u{10FFFF}\u{10FFFF}x", length: 2) == nil)
    }

    @Test func binaryTruncation() {
        #expect(BoundTruncation.lowerBound(binary: [1, 2, 3], length: 2) == [1, 2])
        #expect(BoundTruncation.upperBound(binary: [1, 2, 3], length: 2) == [1, 3])
        #expect(BoundTruncation.upperBound(binary: [1, 0xFF, 3], length: 2) == [2])
        #expect(BoundTruncation.upperBound(binary: [0xFF, 0xFF, 3], length: 2) == nil)
        #expect(BoundTruncation.upperBound(binary: [0xFF, 0xFF], length: 2) == [0xFF, 0xFF])
    }

    @Test func truncatedBoundsOnlyForStringsAndBinary() {
        #expect(DataFileMetrics.truncated(.string("abcdef"), mode: .truncate(2), upper: true) == Array("ac".utf8))
        #expect(DataFileMetrics.truncated(.string("abcdef"), mode: .full, upper: true) == Array("abcdef".utf8))
        #expect(DataFileMetrics.truncated(.long(1), mode: .truncate(1), upper: false) == [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(DataFileMetrics.truncated(.binary([9, 9, 9]), mode: .truncate(1), upper: false) == [9])
    }

    @Test(arguments: [
        ("none", MetricsMode.none), ("counts", .counts), ("full", .full), ("truncate(16)", .truncate(16)),
        (" Truncate( 4 ) ", .truncate(4)),
    ])
    func modesParse(text: String, mode: MetricsMode) {
        #expect(MetricsMode(text) == mode)
    }

    @Test(arguments: ["truncate(0)", "truncate()", "some", "truncate(-1)"])
    func badModesDoNotParse(text: String) {
        #expect(MetricsMode(text) == nil)
    }

    @Test func configFromProperties() {
        let schema = Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "a", isRequired: false, type: .primitive(.string)),
            NestedField(id: 2, name: "s", isRequired: false, type: .struct(StructType(fields: [
                NestedField(id: 3, name: "b", isRequired: false, type: .primitive(.long)),
            ]))),
            NestedField(id: 4, name: "c", isRequired: false, type: .primitive(.long)),
        ])
        let order = SortOrder(orderId: 1, fields: [SortField(sourceId: 4, transform: .identity, direction: .ascending,
            nullOrder: .nullsFirst)])
        let config = MetricsConfig(properties: [
            "write.metadata.metrics.default": "counts",
            "write.metadata.metrics.column.s.b": "full",
            "write.metadata.metrics.column.a": "bogus",
        ], schema: schema, sortOrder: order)
        #expect(config.mode(column: "a") == .counts)
        #expect(config.mode(column: "s.b") == .full)
        // Sort columns keep bounds when the default would drop them.
        #expect(config.mode(column: "c") == .truncate(16))
        #expect(MetricsConfig(properties: [:], schema: schema).mode(column: "a") == .truncate(16))
        // Wide tables: without a configured default, only the first N top-level columns get bounds.
        let wide = MetricsConfig(properties: ["write.metadata.metrics.max-inferred-column-defaults": "2"], schema: schema)
        #expect(wide.mode(column: "a") == .truncate(16))
        #expect(wide.mode(column: "s.b") == .truncate(16))
        #expect(wide.mode(column: "c") == MetricsMode.none)
        let configured = MetricsConfig(properties: ["write.metadata.metrics.max-inferred-column-defaults": "2",
            "write.metadata.metrics.default": "full"], schema: schema)
        #expect(configured.mode(column: "c") == .full)
    }
}
