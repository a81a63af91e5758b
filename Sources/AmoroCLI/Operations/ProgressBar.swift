import Documents
import Execution
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on standard error (files and bytes done, rate, time left), redrawn in place. It draws
/// only when standard error is a terminal, so cron and log files never see it.
final class ProgressBar: Sendable {
    private let label: String
    private let started = ContinuousClock.now
    private let lastDraw = Mutex<ContinuousClock.Instant?>(nil)
    private let enabled: Bool

    /// A bar for `label` (the table); `enabled` defaults to whether standard error is a terminal.
    init(label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.enabled = enabled
    }

    /// Redraws the bar, at most ten times a second (always when the work is complete).
    func update(_ progress: WorkProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = lastDraw.withLock { last -> Bool in
            let complete = progress.filesDone >= progress.filesTotal
            if let last, now - last < .milliseconds(100), !complete { return false }
            last = now
            return true
        }
        guard draw else { return }
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        writeRaw("\r" + Self.render(label: label, progress: progress, elapsedSeconds: seconds, width: Self.terminalWidth) + "\u{1B}[K")
    }

    /// Clears the bar's line, so the next message starts on a clean line.
    func finish() {
        guard enabled, lastDraw.withLock({ $0 != nil }) else { return }
        writeRaw("\r\u{1B}[K")
    }

    /// The bar as text: `label [=====>    ] 3/8 files  1.2 MiB/4.0 MiB  2.1 MiB/s  ETA 0:02`, at most `width`
    /// columns (the label is shortened first).
    static func render(label: String, progress: WorkProgress, elapsedSeconds: Double, width: Int) -> String {
        let fraction = progress.bytesTotal > 0
            ? Double(progress.bytesDone) / Double(progress.bytesTotal)
            : (progress.filesTotal > 0 ? Double(progress.filesDone) / Double(progress.filesTotal) : 1)
        let clamped = min(1, max(0, fraction))
        let rate = elapsedSeconds > 0 ? Double(progress.bytesDone) / elapsedSeconds : 0
        let eta: String
        if clamped >= 1 {
            eta = "done"
        } else if rate > 0 {
            eta = "ETA " + clock(Double(progress.bytesTotal - progress.bytesDone) / rate)
        } else {
            eta = "ETA --:--"
        }
        let numbers = "\(progress.filesDone)/\(progress.filesTotal) files  "
            + "\(ByteCount.format(progress.bytesDone))/\(ByteCount.format(progress.bytesTotal))  "
            + "\(ByteCount.format(Int64(rate)))/s  \(eta)"
        let barWidth = 20
        let filled = Int((clamped * Double(barWidth)).rounded(.down))
        let bar = "[" + String(repeating: "=", count: filled) + (filled < barWidth ? ">" : "")
            + String(repeating: " ", count: max(0, barWidth - filled - 1)) + "]"
        let room = width - bar.count - numbers.count - 2
        let shown = label.count <= room ? label : (room > 1 ? String(label.prefix(room - 1)) + "…" : "")
        return (shown.isEmpty ? "" : shown + " ") + bar + " " + numbers
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }

    private static var terminalWidth: Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    private func writeRaw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
    }
}
