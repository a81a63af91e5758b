import Parquet
import Testing

@Suite struct ColumnValuesTests {
    @Test func byteArraysPackValuesContiguously() {
        var values = ByteArrays()
        values.append(Array("ice".utf8))
        values.append([UInt8]())
        values.append(Array("berg".utf8))
        #expect(values.count == 3)
        #expect(Array(values[0]) == Array("ice".utf8))
        #expect(values[1].isEmpty)
        #expect(values.offsets == [0, 3, 3, 7])
        #expect(ColumnValues.byteArray(values).count == 3)
    }

    @Test func fixedLengthValuesAreSliced() {
        var values = FixedLengthByteArrays(width: 2)
        values.append([1, 2])
        values.append([3, 4])
        #expect(values.count == 2)
        #expect(Array(values[1]) == [3, 4])
        #expect(ColumnValues.fixedLenByteArray(values).physicalType == .fixedLenByteArray)
    }
}
