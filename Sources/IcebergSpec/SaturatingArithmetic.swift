/// Arithmetic on numbers that come from files, metadata and documents (sizes, counts, times): held at Int64's ends
/// instead of trapping, so a crafted value gives an extreme result (a huge cost, an age beyond every limit), never a
/// crash. Comparisons against such results keep their meaning.
extension Int64 {
    package func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    package func saturatingSubtract(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }

    package func saturatingMultiply(_ other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }
}

extension Sequence {
    /// The sum of `value` over the elements, saturating at Int64's ends: totals of sizes and counts that metadata,
    /// listings or documents claim.
    package func saturatingSum(_ value: (Element) throws -> Int64) rethrows -> Int64 {
        try reduce(Int64(0)) { $0.saturatingAdd(try value($1)) }
    }
}
