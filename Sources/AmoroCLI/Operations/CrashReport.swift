#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a crash prints. Swift's runtime already writes the one-line reason of a trap (`Fatal error: …`) to standard
/// error; its backtracer would then spend tens of seconds symbolicating before the process ends, which under cron
/// only delays the next table's run. So unless `SWIFT_BACKTRACE` is set (for example `SWIFT_BACKTRACE=enable=yes`,
/// to get a backtrace), amoro replaces the backtracer's signal handlers with one that adds a line saying how to get a
/// backtrace and ends the process with the same signal, at once.
package enum CrashReport {
    private static let signals = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    package static func install() {
        guard getenv("SWIFT_BACKTRACE") == nil else { return }
        for signal in signals {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { signal in
                    CrashReport.report(signal)
                }
            #else
                action.__sigaction_u.__sa_handler = { signal in CrashReport.report(signal) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
    }

    /// Async-signal-safe: a fixed message through write(2), then the signal again with its default action.
    private static func report(_ signal: Int32) {
        let message: StaticString = "amoro: crashed; run again with SWIFT_BACKTRACE=enable=yes for a backtrace\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        raise(signal)
    }
}
