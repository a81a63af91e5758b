import ByteCoding

/// Typed values -> a page's value section: the one entry point the column writers call for values.
package enum ValueEncoder {
    /// Encodes values[range] with `encoding` (plain; rle for booleans; deltaBinaryPacked for int32/int64;
    /// deltaLengthByteArray and deltaByteArray for byteArray (deltaByteArray also fixed); byteStreamSplit for
    /// float/double/int32/int64/fixed). Unsupported combinations throw .invalidArgument.
    package static func encode(
        _ values: ColumnValues, range: Range<Int>, encoding: Encoding, into writer: inout ByteWriter
    ) throws(ParquetError) {
        guard range.lowerBound >= 0, range.upperBound <= values.count else {
            throw .invalidArgument("range \(range) is outside the \(values.count) values")
        }
        switch (encoding, values) {
        case (.plain, .boolean(let values)): Plain.encode(values[range], into: &writer)
        case (.plain, .int32(let values)): Plain.encode(values[range], into: &writer)
        case (.plain, .int64(let values)): Plain.encode(values[range], into: &writer)
        case (.plain, .int96(let values)): Plain.encode(values[range], into: &writer)
        case (.plain, .float(let values)): Plain.encode(values[range], into: &writer)
        case (.plain, .double(let values)): Plain.encode(values[range], into: &writer)
        case (.plain, .byteArray(let values)): Plain.encode(values, range: range, into: &writer)
        case (.plain, .fixedLenByteArray(let values)): Plain.encode(values, range: range, into: &writer)
        case (.rle, .boolean(let values)): RLEBooleans.encode(values[range], into: &writer)
        case (.deltaBinaryPacked, .int32(let values)):
            values[range].withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &writer) }
        case (.deltaBinaryPacked, .int64(let values)):
            values[range].withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &writer) }
        case (.deltaLengthByteArray, .byteArray(let values)):
            DeltaLengthByteArray.encode(values, range: range, into: &writer)
        case (.deltaByteArray, .byteArray(let values)): DeltaByteArray.encode(values, range: range, into: &writer)
        case (.deltaByteArray, .fixedLenByteArray(let values)): DeltaByteArray.encode(values, range: range, into: &writer)
        case (.byteStreamSplit, .int32(let values)): encodeStreams(values[range], into: &writer)
        case (.byteStreamSplit, .int64(let values)): encodeStreams(values[range], into: &writer)
        case (.byteStreamSplit, .float(let values)): encodeStreams(values[range], into: &writer)
        case (.byteStreamSplit, .double(let values)): encodeStreams(values[range], into: &writer)
        case (.byteStreamSplit, .fixedLenByteArray(let values)):
            values.data.withUnsafeBytes { data in
                let bytes = UnsafeRawBufferPointer(rebasing: data[range.lowerBound * values.width..<range.upperBound * values.width])
                ByteStreamSplit.encode(bytes, count: range.count, width: values.width, into: &writer)
            }
        default:
            throw .invalidArgument("encoding \(encoding) cannot encode \(values.physicalType) values")
        }
    }

    private static func encodeStreams<Value: BitwiseCopyable>(_ values: ArraySlice<Value>, into writer: inout ByteWriter) {
        values.withUnsafeBytes { bytes in
            ByteStreamSplit.encode(bytes, count: values.count, width: MemoryLayout<Value>.size, into: &writer)
        }
    }
}
