/// Everything needed to read or write one leaf column: its path, types and maximum levels.
package struct ColumnDescriptor: Sendable, Hashable {
    /// Position among the schema's leaves (and among a row group's column chunks).
    package var index: Int
    package var path: [String]
    package var physicalType: PhysicalType
    /// FIXED_LEN_BYTE_ARRAY width (0 otherwise).
    package var typeLength: Int
    package var logicalType: LogicalType?
    package var convertedType: ConvertedType?
    package var precision: Int
    package var scale: Int
    package var repetition: Repetition
    package var maxDefinitionLevel: Int16
    package var maxRepetitionLevel: Int16
    package var fieldID: Int32?
    /// Definition level of each repeated node above (and including) the leaf, outermost first: a slot with
    /// repetition level r continues a list whose repeated node has definition level `repeatedDefinitionLevels[r - 1]`,
    /// so its definition level is at least that.
    package var repeatedDefinitionLevels: [Int16] = []

    /// The path joined with dots, as tools print it.
    package var dottedPath: String { path.joined(separator: ".") }

    /// Whether min/max statistics compare this column's integers as unsigned.
    package var isUnsignedInteger: Bool {
        if case .integer(_, false) = logicalType { return true }
        return false
    }
}
