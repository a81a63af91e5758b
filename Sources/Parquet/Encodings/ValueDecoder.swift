/// Page value sections -> typed values: the one entry point the column readers call for values.
package enum ValueDecoder {
    /// Decodes exactly `count` values encoded with `encoding` (plain, rle [booleans only], deltaBinaryPacked,
    /// deltaLengthByteArray, deltaByteArray, byteStreamSplit [float, double, int32, int64, fixed]) and APPENDS them to
    /// `values`, which has the column's physical type. `typeLength` is the FIXED_LEN_BYTE_ARRAY width (else ignored).
    /// Dictionary encodings are not handled here (see decodeDictionaryIndices). Returns the number of bytes consumed.
    /// On a thrown error `values` is unchanged.
    @discardableResult
    package static func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: Encoding, type: PhysicalType, typeLength: Int, count: Int,
        into values: inout ColumnValues
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        guard values.physicalType == type else { throw ColumnValues.mismatch(values, expected: type) }
        if case .fixedLenByteArray(let fixed) = values, fixed.width != typeLength {
            throw .invalidArgument("FIXED_LEN_BYTE_ARRAY values of width \(fixed.width) for type length \(typeLength)")
        }
        switch encoding {
        case .plain:
            return try decodePlain(bytes, count: count, into: &values)
        case .rle:
            guard var output = values.takeBooleans() else { throw unsupported(encoding, type) }
            defer { values = .boolean(output) }
            return try RLEBooleans.decode(bytes, count: count, into: &output)
        case .deltaBinaryPacked:
            switch values.physicalType {
            case .int32:
                var output = values.takeInt32s()!
                defer { values = .int32(output) }
                return try DeltaBinaryPacked.decode(bytes, count: count, into: &output)
            case .int64:
                var output = values.takeInt64s()!
                defer { values = .int64(output) }
                return try DeltaBinaryPacked.decode(bytes, count: count, into: &output)
            default:
                throw unsupported(encoding, type)
            }
        case .deltaLengthByteArray:
            guard var output = values.takeByteArrays() else { throw unsupported(encoding, type) }
            defer { values = .byteArray(output) }
            return try DeltaLengthByteArray.decode(bytes, count: count, into: &output)
        case .deltaByteArray:
            switch values.physicalType {
            case .byteArray:
                var output = values.takeByteArrays()!
                defer { values = .byteArray(output) }
                return try DeltaByteArray.decode(bytes, count: count, into: &output)
            case .fixedLenByteArray:
                var output = values.takeFixedLengthByteArrays()!
                defer { values = .fixedLenByteArray(output) }
                return try DeltaByteArray.decode(bytes, count: count, into: &output)
            default:
                throw unsupported(encoding, type)
            }
        case .byteStreamSplit:
            return try decodeByteStreamSplit(bytes, count: count, into: &values)
        case .plainDictionary, .rleDictionary:
            throw .invalidArgument("dictionary-encoded values are decoded with decodeDictionaryIndices")
        case .bitPacked:
            throw unsupported(encoding, type)
        }
    }

    /// A dictionary page's values (always PLAIN) as a ColumnValues of `type`.
    package static func decodeDictionary(
        _ bytes: UnsafeRawBufferPointer, type: PhysicalType, typeLength: Int, count: Int
    ) throws(ParquetError) -> ColumnValues {
        var values = try ColumnValues.empty(type, typeLength: typeLength)
        try decode(bytes, encoding: .plain, type: type, typeLength: typeLength, count: count, into: &values)
        return values
    }

    /// RLE_DICTIONARY / PLAIN_DICTIONARY data: a 1-byte bit width then RLE/bit-packed hybrid indices; looks each up in
    /// `dictionary` (bounds-checked: an index past the dictionary is .corrupt) and APPENDS the values to `values`.
    package static func decodeDictionaryIndices(
        _ bytes: UnsafeRawBufferPointer, count: Int, dictionary: ColumnValues, into values: inout ColumnValues
    ) throws(ParquetError) {
        try DictionaryDecoding.decodeIndices(bytes, count: count, dictionary: dictionary, into: &values)
    }

    private static func decodePlain(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ColumnValues
    ) throws(ParquetError) -> Int {
        switch values.physicalType {
        case .boolean:
            var output = values.takeBooleans()!
            defer { values = .boolean(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .int32:
            var output = values.takeInt32s()!
            defer { values = .int32(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .int64:
            var output = values.takeInt64s()!
            defer { values = .int64(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .int96:
            var output = values.takeInt96s()!
            defer { values = .int96(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .float:
            var output = values.takeFloats()!
            defer { values = .float(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .double:
            var output = values.takeDoubles()!
            defer { values = .double(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .byteArray:
            var output = values.takeByteArrays()!
            defer { values = .byteArray(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        case .fixedLenByteArray:
            var output = values.takeFixedLengthByteArrays()!
            defer { values = .fixedLenByteArray(output) }
            return try Plain.decode(bytes, count: count, into: &output)
        }
    }

    private static func decodeByteStreamSplit(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ColumnValues
    ) throws(ParquetError) -> Int {
        switch values.physicalType {
        case .int32:
            var output = values.takeInt32s()!
            defer { values = .int32(output) }
            return try ByteStreamSplit.decode(bytes, count: count, into: &output)
        case .int64:
            var output = values.takeInt64s()!
            defer { values = .int64(output) }
            return try ByteStreamSplit.decode(bytes, count: count, into: &output)
        case .float:
            var output = values.takeFloats()!
            defer { values = .float(output) }
            return try ByteStreamSplit.decode(bytes, count: count, into: &output)
        case .double:
            var output = values.takeDoubles()!
            defer { values = .double(output) }
            return try ByteStreamSplit.decode(bytes, count: count, into: &output)
        case .fixedLenByteArray:
            var output = values.takeFixedLengthByteArrays()!
            defer { values = .fixedLenByteArray(output) }
            return try ByteStreamSplit.decode(bytes, count: count, into: &output)
        case .boolean, .int96, .byteArray:
            throw unsupported(.byteStreamSplit, values.physicalType)
        }
    }

    private static func unsupported(_ encoding: Encoding, _ type: PhysicalType) -> ParquetError {
        .unsupported("encoding \(encoding) for \(type) values")
    }
}
