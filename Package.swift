// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "amoro",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "amoro", targets: ["amoro"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries, seen only by Compression.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),

        // Bytes: codecs and cursors shared by every file format.
        .target(name: "Compression", dependencies: ["CZlib", "CZstd", "CSnappy", "CLZ4"], swiftSettings: swiftSettings),
        .target(name: "ByteCoding", swiftSettings: swiftSettings),
        .target(name: "JSONCoding", swiftSettings: swiftSettings),

        // File formats.
        .target(name: "Avro", dependencies: ["Compression", "ByteCoding", "JSONCoding"], swiftSettings: swiftSettings),
        .systemLibrary(name: "CPrefetch"),
        .target(name: "Parquet", dependencies: ["Compression", "ByteCoding", "CPrefetch"], swiftSettings: swiftSettings),

        // Iceberg spec values: pure, no IO.
        .target(name: "IcebergSpec", dependencies: ["JSONCoding"], swiftSettings: swiftSettings),

        // Bytes at locations: local disk, and S3-compatible object stores over HTTP.
        .target(name: "Storage", swiftSettings: swiftSettings),
        .target(
            name: "ObjectStorage",
            dependencies: [
                "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),

        // Tables: catalogs protocol, metadata files, manifests, scans.
        .target(
            name: "Iceberg",
            dependencies: ["IcebergSpec", "JSONCoding", "Avro", "Parquet", "Storage", "Compression", "ByteCoding", "CLZ4"],
            swiftSettings: swiftSettings),
        // Paimon tables: schema, snapshots, manifests and binary rows read from a table directory.
        .target(name: "Paimon", dependencies: ["Avro", "JSONCoding", "Storage"], swiftSettings: swiftSettings),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "Catalogs",
            dependencies: [
                "Iceberg", "IcebergSpec", "JSONCoding", "Paimon", "Storage", "ObjectStorage", "CSQLite", "Yams",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // Planning: pure functions from table health and properties to plan documents.
        .target(name: "Planning", dependencies: ["IcebergSpec", "JSONCoding"], swiftSettings: swiftSettings),

        // Execution: runs scans, plans and rewrites against tables.
        .target(
            name: "Execution", dependencies: ["Planning", "Iceberg", "IcebergSpec", "Paimon", "Storage", "Parquet"],
            swiftSettings: swiftSettings),

        // Documents: one value type per document kind, with its JSON form, checked decoding and terminal form.
        .target(
            name: "Documents", dependencies: ["Planning", "Execution", "Iceberg", "IcebergSpec", "JSONCoding", "Paimon", "Storage"],
            swiftSettings: swiftSettings),

        // Command line.
        .target(
            name: "AmoroCLI",
            dependencies: [
                "Avro", "Parquet", "JSONCoding", "IcebergSpec", "Iceberg", "Catalogs", "Planning", "Execution", "Documents",
                "Paimon", "Storage", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "amoro", dependencies: ["AmoroCLI"], swiftSettings: swiftSettings),

        // Benchmark driver for scripts/bench-* (not a product).
        .executableTarget(
            name: "amoro-bench",
            dependencies: ["Compression", "Avro", "Parquet", "IcebergSpec", "Iceberg", "Catalogs", "Storage", "JSONCoding"],
            swiftSettings: swiftSettings),

        // libFuzzer targets (not products): scripts/fuzz builds them with -sanitize=fuzzer,address and -DFUZZING;
        // the normal build makes each a replayer of the files and folders named on its command line.
        .systemLibrary(name: "CFuzzer", path: "Sources/Fuzz/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Sources/Fuzz/Support", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzThrift", dependencies: ["FuzzSupport", "Parquet"], path: "Sources/Fuzz/Thrift",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzParquet", dependencies: ["FuzzSupport", "Parquet"], path: "Sources/Fuzz/Parquet",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzAvro", dependencies: ["FuzzSupport", "Avro"], path: "Sources/Fuzz/Avro",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzTableMetadata", dependencies: ["FuzzSupport", "IcebergSpec", "JSONCoding"],
            path: "Sources/Fuzz/TableMetadata", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzManifest", dependencies: ["FuzzSupport", "Iceberg", "IcebergSpec", "Avro", "JSONCoding"],
            path: "Sources/Fuzz/Manifest", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzPlanDocument", dependencies: ["FuzzSupport", "Documents", "Planning", "JSONCoding"],
            path: "Sources/Fuzz/PlanDocument", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzAudit", dependencies: ["FuzzSupport", "Documents", "Execution", "Planning", "IcebergSpec", "JSONCoding"],
            path: "Sources/Fuzz/Audit", swiftSettings: swiftSettings),
        .executableTarget(
            name: "FuzzTaskResult", dependencies: ["FuzzSupport", "Documents", "JSONCoding"],
            path: "Sources/Fuzz/TaskResult", swiftSettings: swiftSettings),

        // Test helpers (not a product).
        .target(name: "TestSupport", dependencies: ["JSONCoding"], swiftSettings: swiftSettings),

        .testTarget(name: "CompressionTests", dependencies: ["Compression"], swiftSettings: swiftSettings),
        .testTarget(name: "ByteCodingTests", dependencies: ["ByteCoding"], swiftSettings: swiftSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage", "Storage", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CatalogsTests", dependencies: ["Catalogs", "Iceberg", "IcebergSpec", "Storage", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IcebergTests",
            dependencies: ["Iceberg", "IcebergSpec", "JSONCoding", "Parquet", "Storage", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(name: "PlanningTests", dependencies: ["Planning"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaimonTests",
            dependencies: ["Paimon", "Avro", "Catalogs", "Iceberg", "JSONCoding", "Storage", "Execution", "Documents", "TestSupport", "Parquet"],
            swiftSettings: swiftSettings),
        .testTarget(name: "JSONCodingTests", dependencies: ["JSONCoding"], swiftSettings: swiftSettings),
        .testTarget(name: "IcebergSpecTests", dependencies: ["IcebergSpec", "JSONCoding"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AvroTests", dependencies: ["Avro", "JSONCoding", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ParquetTests", dependencies: ["Parquet", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AmoroCLITests",
            dependencies: ["AmoroCLI", "Documents", "Execution", "Iceberg", "IcebergSpec", "JSONCoding", "Planning", "TestSupport"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "Avro", "Parquet", "IcebergSpec", "JSONCoding", "Iceberg", "Catalogs", "Storage", "Planning", "Execution",
                "Documents", "TestSupport",
            ],
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
