extension Literal {
    /// Orders two values of the same type as Iceberg's bounds do: numbers numerically, strings and binary by their
    /// unsigned bytes, booleans false before true, -0.0 before +0.0. Nil for values of different types.
    package static func compare(_ lhs: Literal, _ rhs: Literal) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        func bytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
            a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        }
        switch (lhs, rhs) {
        case (.boolean(let a), .boolean(let b)): return order(a ? 1 : 0, b ? 1 : 0)
        case (.int(let a), .int(let b)), (.date(let a), .date(let b)): return order(a, b)
        case (.long(let a), .long(let b)), (.time(let a), .time(let b)), (.timestamp(let a), .timestamp(let b)),
            (.timestamptz(let a), .timestamptz(let b)), (.timestampNs(let a), .timestampNs(let b)),
            (.timestamptzNs(let a), .timestamptzNs(let b)):
            return order(a, b)
        case (.float(let a), .float(let b)):
            return a == b && a == 0 ? order(a.sign == .minus ? 0 : 1, b.sign == .minus ? 0 : 1) : order(a, b)
        case (.double(let a), .double(let b)):
            return a == b && a == 0 ? order(a.sign == .minus ? 0 : 1, b.sign == .minus ? 0 : 1) : order(a, b)
        case (.string(let a), .string(let b)): return bytes(Array(a.utf8), Array(b.utf8))
        case (.uuid(let a), .uuid(let b)), (.fixed(let a), .fixed(let b)), (.binary(let a), .binary(let b)):
            return bytes(a, b)
        case (.decimal(let a, _, let scaleA), .decimal(let b, _, let scaleB)) where scaleA == scaleB: return order(a, b)
        default: return nil
        }
    }
}
