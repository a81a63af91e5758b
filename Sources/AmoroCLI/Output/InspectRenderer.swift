import JSONCoding

/// The terminal form of an `amoro.inspect` document.
enum InspectRenderer {
    static func render(_ document: JSON) -> String {
        func text(_ value: JSON?) -> String {
            switch value {
            case .string(let s)?: s
            case nil, .null?: "-"
            case let other?: other.rendered()
            }
        }
        var lines = ["\(text(document["file"]))  \(text(document["format"]))  \(ByteCount.format(document["size_bytes"]?.int64Value ?? 0))"]
        if document["format"] == .string("parquet") {
            lines.append("created by \(text(document["created_by"])); \(text(document["rows"])) rows in \(document["row_groups"]?.arrayValue?.count ?? 0) row groups")
            for (key, value) in document["key_value_metadata"]?.objectValue ?? [] {
                lines.append("  \(key) = \(text(value).prefix(120))")
            }
            lines.append(text(document["schema_text"]))
            for group in document["row_groups"]?.arrayValue ?? [] {
                lines.append("row group \(text(group["index"])): \(text(group["rows"])) rows, \(ByteCount.format(group["total_bytes"]?.int64Value ?? 0))")
                var table = TextTable(["column", "codec", "encodings", "compressed", "uncompressed", "nulls", "min", "max"])
                for column in group["columns"]?.arrayValue ?? [] {
                    let statistics = column["statistics"]
                    table.add([
                        text(column["path"]), text(column["codec"]),
                        (column["encodings"]?.arrayValue ?? []).map { text($0) }.joined(separator: ","),
                        ByteCount.format(column["compressed_bytes"]?.int64Value ?? 0),
                        ByteCount.format(column["uncompressed_bytes"]?.int64Value ?? 0), text(statistics?["null_count"]),
                        String(text(statistics?["min"]).prefix(32)), String(text(statistics?["max"]).prefix(32)),
                    ])
                }
                lines.append(table.rendered())
            }
        } else {
            lines.append("codec \(text(document["codec"])); \(text(document["records"])) records in \(document["blocks"]?.arrayValue?.count ?? 0) blocks; sync \(text(document["sync_marker"]))")
            for (key, value) in document["metadata"]?.objectValue ?? [] {
                lines.append("  \(key) = \(text(value).prefix(120))")
            }
            lines.append(document["schema"]?.rendered(pretty: true) ?? "")
            var table = TextTable(["block", "offset", "records", "compressed", "uncompressed"])
            for block in document["blocks"]?.arrayValue ?? [] {
                table.add([text(block["index"]), text(block["offset"]), text(block["records"]),
                    ByteCount.format(block["compressed_bytes"]?.int64Value ?? 0),
                    ByteCount.format(block["uncompressed_bytes"]?.int64Value ?? 0)])
            }
            lines.append(table.rendered())
        }
        return (lines + [""]).joined(separator: "\n")
    }
}
