/// Terminal pieces the maintenance documents share: file tables cut at 50 rows, and the closing lines.
enum FileListing {
    /// A table of `files` (the first 50, then how many more), or nothing for none.
    static func table<File>(_ files: [File], columns: [String], row: (File) -> [String]) -> [String] {
        guard !files.isEmpty else { return [] }
        var table = TextTable(columns)
        for file in files.prefix(50) { table.add(row(file)) }
        return [table.rendered()] + (files.count > 50 ? ["  … and \(files.count - 50) more (--json lists them all)"] : [])
    }

    /// `lines`, then each file not deleted and the run's error.
    static func finished(_ lines: [String], failures: [FileNote], error: String?) -> String {
        var lines = lines
        for failure in failures { lines.append("  not deleted: \(failure.path): \(failure.note)") }
        if let error { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }
}
