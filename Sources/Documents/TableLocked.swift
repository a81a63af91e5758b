/// A table skipped because another amoro run held its lock (its result document says `locked`).
package struct TableLocked: Error, CustomStringConvertible {
    package init() {}

    package var description: String { "another amoro run holds the table's lock; skipped" }
}
