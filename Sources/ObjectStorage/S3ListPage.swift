import Storage

/// One page of a ListObjectsV2 answer: keys with size and modification time, and the token for the next page.
package struct S3ListPage: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        package var key: String
        package var size: Int64
        package var modifiedMs: Int64

        package init(key: String, size: Int64, modifiedMs: Int64) {
            self.key = key
            self.size = size
            self.modifiedMs = modifiedMs
        }
    }

    package var objects: [Entry]
    /// `nil` on the last page.
    package var nextToken: String?

    package init(_ body: [UInt8], location: String) throws(StorageError) {
        guard let document = XMLElement.parse(body), document.name == "ListBucketResult" else {
            throw .io(location, "ListObjectsV2 answered with a document that is not a ListBucketResult")
        }
        var objects: [Entry] = []
        for content in document.children("Contents") {
            guard let key = content.text(of: "Key"), let size = content.text(of: "Size").flatMap(Int64.init),
                let modified = content.text(of: "LastModified").flatMap(Self.milliseconds)
            else {
                throw .io(location, "ListObjectsV2 listed an object without a key, size or valid LastModified")
            }
            objects.append(Entry(key: key, size: size, modifiedMs: modified))
        }
        self.objects = objects
        let truncated = document.text(of: "IsTruncated") == "true"
        nextToken = truncated ? document.text(of: "NextContinuationToken") : nil
        if truncated, nextToken?.isEmpty ?? true {
            throw .io(location, "ListObjectsV2 said the listing goes on but gave no continuation token")
        }
    }

    /// ISO 8601 `2024-01-31T12:34:56.789Z` (fraction optional) as milliseconds since the epoch.
    package static func milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[from..<(from + count)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var fraction: Int64 = 0
        if bytes[19] == UInt8(ascii: ".") {
            let digits = bytes.count - 21
            guard digits > 0, let value = number(20, digits) else { return nil }
            fraction = digits >= 3 ? value / pow10(digits - 3) : value * pow10(3 - digits)
        } else if bytes.count != 20 {
            return nil
        }
        return (daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000 + fraction
    }

    private static func pow10(_ exponent: Int) -> Int64 { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-from-days inverse).
    private static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
