/// The wait before retrying an HTTP request (S3 and the REST catalog alike): jittered exponential backoff.
package enum Backoff {
    /// A random wait between a quarter of and the whole 50 ms · 2^(attempt−2), at most 2 s.
    package static func wait(beforeAttempt attempt: Int) async {
        let ceiling = min(2_000, 50 << min(max(attempt - 2, 0), 10))
        try? await Task.sleep(for: .milliseconds(Int.random(in: ceiling / 4...ceiling)))
    }
}
