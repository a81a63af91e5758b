/// The enumerations of parquet.thrift, with the Thrift numbering as raw values.

/// Physical storage type of a column (Thrift `Type`).
package enum PhysicalType: Int32, Sendable, Hashable, CaseIterable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    /// Deprecated 12-byte timestamp: nanoseconds of the day (8 bytes LE) then the Julian day (4 bytes LE).
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// Value and level encodings (Thrift `Encoding`). Value 1 (GROUP_VAR_INT) was never used.
package enum Encoding: Int32, Sendable, Hashable, CaseIterable {
    case plain = 0
    /// Deprecated name of dictionary encoding in data pages v1; the same bytes as `rleDictionary`.
    case plainDictionary = 2
    case rle = 3
    /// Deprecated MSB-first bit packing, only ever used for levels.
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}

/// Page and column-chunk compression (Thrift `CompressionCodec`).
package enum CompressionKind: Int32, Sendable, Hashable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// Deprecated: Hadoop-framed LZ4.
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7
}

/// Thrift `PageType`.
package enum PageType: Int32, Sendable, Hashable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// Thrift `FieldRepetitionType`.
package enum Repetition: Int32, Sendable, Hashable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// Legacy logical annotations (Thrift `ConvertedType`), still written by most writers beside `LogicalType`.
package enum ConvertedType: Int32, Sendable, Hashable {
    case utf8 = 0
    case map = 1
    case mapKeyValue = 2
    case list = 3
    case `enum` = 4
    case decimal = 5
    case date = 6
    case timeMillis = 7
    case timeMicros = 8
    case timestampMillis = 9
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
    case json = 19
    case bson = 20
    case interval = 21
}
