import Iceberg

/// Resolves the table arguments users give (`db.events`, `db.*`, `*.events_*`, `a.b.t`) against a catalog.
///
/// A pattern has one segment per namespace level plus the table name; in each segment `*` matches any run of
/// characters and `?` one character, never across a dot. A name without wildcards must exist.
package enum TableSelection {
    package static func resolve(_ patterns: [String], all: Bool, in catalog: any Catalog) async throws(IcebergError)
        -> [TableIdentifier]
    {
        let hasWildcards = all || patterns.contains { $0.contains("*") || $0.contains("?") }
        var tables: [TableIdentifier] = []
        if hasWildcards {
            for namespace in try await catalog.listNamespaces() {
                tables += try await catalog.listTables(namespace: namespace)
            }
        }
        var selected = Set<TableIdentifier>()
        for pattern in patterns {
            if !pattern.contains("*") && !pattern.contains("?") {
                guard let identifier = TableIdentifier(parsing: pattern) else {
                    throw .catalog("'\(pattern)' is not a table name (use namespace.table)")
                }
                // Must exist: a typo is an error, not an empty run.
                if let paimon = catalog as? PaimonCatalog {
                    guard await paimon.exists(identifier) else { throw .tableNotFound(identifier) }
                } else {
                    _ = try await catalog.loadTable(identifier)
                }
                selected.insert(identifier)
                continue
            }
            let segments = pattern.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            for table in tables {
                let names = table.namespace + [table.name]
                if names.count == segments.count && zip(segments, names).allSatisfy({ matches($0, $1) }) {
                    selected.insert(table)
                }
            }
        }
        if all { selected.formUnion(tables) }
        return selected.sorted()
    }

    /// Glob matching of one segment: `*` any run, `?` any one character.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let starAt = star {
                p = starAt + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
