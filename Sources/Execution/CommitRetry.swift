import Iceberg
import IcebergSpec

/// `commit.retry.*` with Iceberg's defaults (4 retries, waits from 100 ms doubling up to 60 s, 30 minutes in all),
/// applied to a commit loop: `attempts` runs an attempt on a fresh load of the table until one commits; after a
/// conflict, `wait` sleeps the next backoff or gives up.
struct CommitRetry: Sendable {
    private var retries = 4
    private var minWaitMs: Int64 = 100
    private var maxWaitMs: Int64 = 60_000
    private var totalTimeoutMs: Int64 = 1_800_000
    /// The last wait; the next doubles it.
    private var waitMs: Int64 = 0

    init() {}

    /// The policy a table's properties set.
    init(properties: [String: String]) {
        retries = properties["commit.retry.num-retries"].flatMap { Int($0) }.map { max(0, $0) } ?? retries
        minWaitMs = properties["commit.retry.min-wait-ms"].flatMap { Int64($0) }.map { max(0, $0) } ?? minWaitMs
        maxWaitMs = properties["commit.retry.max-wait-ms"].flatMap { Int64($0) }.map { max(minWaitMs, $0) } ?? maxWaitMs
        totalTimeoutMs = properties["commit.retry.total-timeout-ms"].flatMap { Int64($0) } ?? totalTimeoutMs
    }

    /// After attempt `attempt` failed with the retryable `error`, `elapsedMs` into the commit: waits before the
    /// next attempt, or throws a conflict naming the attempts when the retries or the time are spent.
    private mutating func wait(after error: IcebergError, attempt: Int, identifier: TableIdentifier, elapsedMs: Int64)
        async throws(AmoroError)
    {
        guard attempt <= retries, elapsedMs < totalTimeoutMs else {
            throw .iceberg(.commitConflict(identifier, "\(error); gave up after \(attempt) attempts"))
        }
        waitMs = min(maxWaitMs, max(minWaitMs, waitMs * 2))
        try? await Task.sleep(nanoseconds: UInt64(waitMs) * 1_000_000)
    }

    /// Runs `attempt` (numbered from 1) on the table as the catalog has it now, and again on a fresh load after
    /// each commit conflict it throws, as the table's `commit.retry.*` allow.
    static func attempts<Outcome>(
        _ identifier: TableIdentifier, catalog: any Catalog, nowMs: () -> Int64,
        _ attempt: (_ number: Int, _ base: LoadedTable) async throws(AmoroError) -> Outcome
    ) async throws(AmoroError) -> Outcome {
        var retry = CommitRetry()
        let started = nowMs()
        var number = 0
        while true {
            number += 1
            let base: LoadedTable
            do { base = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
            if number == 1 { retry = CommitRetry(properties: base.metadata.properties) }
            do { return try await attempt(number, base) } catch {
                guard case .iceberg(let inner) = error, inner.isRetryable else { throw error }
                try await retry.wait(after: inner, attempt: number, identifier: identifier, elapsedMs: nowMs() - started)
            }
        }
    }
}
