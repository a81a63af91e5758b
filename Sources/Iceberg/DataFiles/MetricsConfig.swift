import IcebergSpec

/// What metrics a column gets in manifests (`write.metadata.metrics.*`): nothing, counts only, counts and bounds
/// truncated to a length (strings in code points, binary in bytes), or counts and full bounds.
package enum MetricsMode: Sendable, Hashable {
    case none
    case counts
    case truncate(Int)
    case full

    /// Parses `none`, `counts`, `full` or `truncate(N)` with N > 0 (case-insensitive, spaces allowed).
    package init?(_ text: String) {
        let compact = String(text.lowercased().filter { !$0.isWhitespace })
        switch compact {
        case "none": self = .none
        case "counts": self = .counts
        case "full": self = .full
        default:
            guard compact.hasPrefix("truncate("), compact.hasSuffix(")"),
                let length = Int(compact.dropFirst("truncate(".count).dropLast()), length > 0
            else { return nil }
            self = .truncate(length)
        }
    }
}

/// The metrics mode of every column from table properties, as Java's `MetricsConfig` reads them: a default
/// (`write.metadata.metrics.default`; when unset truncate(16), or for tables of more than
/// `write.metadata.metrics.max-inferred-column-defaults` (100) top-level columns truncate(16) for the first ones
/// and none for the rest), columns of the sort order raised to at least
/// truncate(16) when the default keeps no bounds, then per-column overrides
/// (`write.metadata.metrics.column.<full column name>`). Invalid modes fall back to the default, as in Java.
package struct MetricsConfig: Sendable, Hashable {
    package static let defaultKey = "write.metadata.metrics.default"
    package static let columnPrefix = "write.metadata.metrics.column."
    package static let maxInferredKey = "write.metadata.metrics.max-inferred-column-defaults"

    package var defaultMode: MetricsMode
    package var columnModes: [String: MetricsMode]

    package init(defaultMode: MetricsMode = .truncate(16), columnModes: [String: MetricsMode] = [:]) {
        self.defaultMode = defaultMode
        self.columnModes = columnModes
    }

    package init(properties: [String: String], schema: Schema, sortOrder: SortOrder? = nil) {
        var defaultMode = MetricsMode.truncate(16)
        var modes: [String: MetricsMode] = [:]
        if let configured = properties[Self.defaultKey] {
            defaultMode = MetricsMode(configured) ?? .truncate(16)
        } else {
            // Without a configured default, only the first N top-level columns (with everything nested in them)
            // get truncate(16); the rest none.
            let limit = properties[Self.maxInferredKey].flatMap(Int.init) ?? 100
            if schema.fields.count > limit {
                defaultMode = .none
                let names = schema.fieldsById()
                let inferred = Schema(schemaId: schema.schemaId, fields: Array(schema.fields.prefix(max(0, limit))))
                for id in inferred.fieldsById().keys {
                    if let name = names[id]?.name { modes[name] = .truncate(16) }
                }
            }
        }
        if let sortOrder {
            let names = schema.fieldsById()
            let sortedMode: MetricsMode = (defaultMode == .none || defaultMode == .counts) ? .truncate(16) : defaultMode
            for field in sortOrder.fields {
                if let name = names[field.sourceId]?.name { modes[name] = sortedMode }
            }
        }
        for (key, value) in properties where key.hasPrefix(Self.columnPrefix) {
            modes[String(key.dropFirst(Self.columnPrefix.count))] = MetricsMode(value) ?? defaultMode
        }
        self.init(defaultMode: defaultMode, columnModes: modes)
    }

    /// The mode of the column with full name `name` (dotted, list elements as `element`, map parts `key`/`value`).
    package func mode(column name: String) -> MetricsMode { columnModes[name] ?? defaultMode }
}
