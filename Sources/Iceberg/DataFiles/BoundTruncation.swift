/// The spec's bound truncation for `truncate(N)` metrics: lower bounds are prefixes; upper bounds are prefixes
/// whose last unit is incremented (strings by code point, skipping surrogates; binary by byte), or no bound at all
/// when every unit is already the maximum.
package enum BoundTruncation {
    package static func lowerBound(string: String, length: Int) -> String {
        let scalars = string.unicodeScalars
        guard scalars.count > length else { return string }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars.prefix(length))
        return String(result)
    }

    package static func upperBound(string: String, length: Int) -> String? {
        let scalars = Array(string.unicodeScalars)
        guard scalars.count > length else { return string }
        var prefix = Array(scalars.prefix(length))
        while let last = prefix.popLast() {
            var next = last.value + 1
            if next >= 0xD800 && next <= 0xDFFF { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                prefix.append(scalar)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: prefix)
                return String(view)
            }
        }
        return nil
    }

    package static func lowerBound(binary: [UInt8], length: Int) -> [UInt8] {
        binary.count > length ? Array(binary.prefix(length)) : binary
    }

    package static func upperBound(binary: [UInt8], length: Int) -> [UInt8]? {
        guard binary.count > length else { return binary }
        var prefix = Array(binary.prefix(length))
        while let last = prefix.popLast() {
            if last < 0xFF {
                prefix.append(last + 1)
                return prefix
            }
        }
        return nil
    }
}
