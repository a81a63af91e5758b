import JSONCoding

/// One kind of document the subcommands print and read: its JSON form (members in a fixed order, the contract
/// other tools rely on), its decoding with every member checked, and its terminal form.
package protocol Document: Sendable, Equatable {
    /// The `kind` member, such as `amoro.plan`.
    static var kind: String { get }
    /// The `version` member this amoro writes and reads.
    static var version: Int { get }
    var json: JSON { get }
    init(json: JSON) throws(DocumentError)
    /// The readable form for a terminal.
    func rendered() -> String
}
