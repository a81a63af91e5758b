import JSONCoding

/// Mutants of a JSON document for fuzzing the documents amoro reads back: every member, at every depth, removed,
/// repeated, and replaced by values of every JSON type, extremes, huge strings, `..` paths and another table's path.
package enum DocumentMutations {
    /// One edit of a document: where, and what it does.
    package struct Mutant: CustomStringConvertible, Sendable {
        package var path: String
        package var edit: String
        package var document: JSON
        package var description: String { "\(path): \(edit)" }
    }

    /// The values each member is set to: every JSON type, extremes, a huge string, a path climbing out of the table
    /// at `tableLocation` to `victim.txt` beside its namespace, and a path in another table beside it.
    package static func replacements(tableLocation: String) -> [(String, JSON)] {
        let parent = tableLocation.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return [
            ("null", .null), ("true", .bool(true)), ("empty string", .string("")),
            ("huge string", .string(String(repeating: "x", count: 1 << 20))), ("Int64.min", .int(.min)), ("Int64.max", .int(.max)),
            ("-1", .int(-1)), ("UInt64.max", .uint(.max)), ("0.5", .double(0.5)), ("[]", .array([])), ("{}", .object([])),
            ("..", .string("\(tableLocation)/data/../../../victim.txt")), ("other table", .string("\(parent)/other/data/x.parquet")),
        ]
    }

    /// Every mutant of `document` about the table at `tableLocation`: each member removed and repeated, each value
    /// replaced by each of `replacements`.
    package static func mutants(of document: JSON, tableLocation: String = "/w/db/t") -> [Mutant] {
        let replacements = replacements(tableLocation: tableLocation)
        var result: [Mutant] = []
        func walk(_ value: JSON, _ path: String, _ rebuild: @escaping (JSON?) -> JSON, _ repeated: (() -> JSON)?) {
            for (name, replacement) in replacements where replacement != value {
                result.append(Mutant(path: path, edit: "set to \(name)", document: rebuild(replacement)))
            }
            result.append(Mutant(path: path, edit: "removed", document: rebuild(nil)))
            if let repeated { result.append(Mutant(path: path, edit: "repeated", document: repeated())) }
            switch value {
            case .object(let members):
                for (index, (name, member)) in members.enumerated() {
                    walk(member, path.isEmpty ? name : "\(path).\(name)", { new in
                        var edited = members
                        if let new { edited[index].1 = new } else { edited.remove(at: index) }
                        return rebuild(.object(edited))
                    }, {
                        var edited = members
                        edited.insert((name, member), at: index + 1)
                        return rebuild(.object(edited))
                    })
                }
            case .array(let values):
                for (index, element) in values.enumerated() {
                    walk(element, "\(path)[\(index)]", { new in
                        var edited = values
                        if let new { edited[index] = new } else { edited.remove(at: index) }
                        return rebuild(.array(edited))
                    }, {
                        var edited = values
                        edited.insert(element, at: index + 1)
                        return rebuild(.array(edited))
                    })
                }
            default: break
            }
        }
        if case .object = document { walk(document, "", { $0 ?? .null }, nil) }
        return result.filter { !$0.path.isEmpty }
    }
}
