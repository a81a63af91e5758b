/// A partition's directory as Paimon names it (`k1=v1/k2=v2`): each value as text (with
/// `partition.legacy-name`, Paimon's default, dates are day numbers; otherwise `yyyy-MM-dd`), null or empty values
/// as `partition.default-name`, and characters unsafe in paths escaped as `%XX`, as Hive and Paimon escape them.
package enum PartitionPath {
    package static func render(_ partition: [UInt8], types: [(name: String, type: PaimonDataType)], options: PaimonOptions)
        throws(PaimonError) -> String
    {
        guard !types.isEmpty else { return "" }
        let row = try BinaryRow(serialized: partition)
        guard row.arity == types.count else {
            throw .invalidFile("partition", "a row of \(row.arity) fields for \(types.count) partition keys")
        }
        var parts: [String] = []
        for (index, (name, type)) in types.enumerated() {
            var text: String
            switch (try row.value(index, type: type), type.root) {
            case (nil, _): text = ""
            case (.long(let days)?, .date) where !options.partitionLegacyName: text = isoDate(days)
            case (_, .timestamp), (_, .time), (_, .binary), (_, .float), (_, .double):
                throw .unsupported("a partition of type \(type.text)")
            case (let value?, _): text = value.description
            }
            if text.isEmpty { text = options.partitionDefaultName }
            parts.append("\(escape(name))=\(escape(text))")
        }
        return parts.joined(separator: "/")
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || "\"#%'*/:=?\\\u{7F}{[]^".unicodeScalars.contains(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `yyyy-MM-dd` of a day number since 1970-01-01 (proleptic Gregorian).
    static func isoDate(_ days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
