extension Array where Element: Sendable {
    /// `transform` applied to every element with at most `limit` running at once; results keep the input order
    /// and the first error ends the map (the tasks still running are cancelled).
    package func concurrentMap<T: Sendable>(
        limit: Int, _ transform: @escaping @Sendable (Element) async throws(IcebergError) -> T
    ) async throws(IcebergError) -> [T] {
        let results = await withTaskGroup(of: (Int, Result<T, IcebergError>).self) { group in
            var results = [Result<T, IcebergError>?](repeating: nil, count: count)
            var next = 0
            func start() {
                let index = next
                let element = self[index]
                next += 1
                group.addTask {
                    do throws(IcebergError) { return (index, .success(try await transform(element))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < count && next < Swift.max(1, limit) { start() }
            while let (index, result) = await group.next() {
                results[index] = result
                if case .failure = result {
                    group.cancelAll()
                    break
                }
                if next < count { start() }
            }
            return results
        }
        var values: [T] = []
        values.reserveCapacity(count)
        for result in results {
            switch result {
            case .success(let value)?: values.append(value)
            case .failure(let error)?: throw error
            case nil: continue
            }
        }
        return values
    }
}
