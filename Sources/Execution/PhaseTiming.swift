import Foundation

/// Wall and CPU time of one phase of a run, the CPU counted over every thread of the process: how many cores the
/// phase kept busy. Commands run one table at a time, so a phase's CPU is that table's work.
package struct PhaseTiming: Sendable, Equatable {
    package var seconds: Double
    package var cpuSeconds: Double

    package init(seconds: Double, cpuSeconds: Double) {
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
    }

    /// Cores busy on average during the phase.
    package var cores: Double { seconds > 0 ? cpuSeconds / seconds : 0 }

    /// The time `body` takes.
    static func measure<Value>(_ body: () async throws -> Value) async rethrows -> (Value, PhaseTiming) {
        let wallStart = DispatchTime.now().uptimeNanoseconds
        let cpuStart = processCPUSeconds()
        let value = try await body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
        return (value, PhaseTiming(seconds: seconds, cpuSeconds: max(0, processCPUSeconds() - cpuStart)))
    }

    /// CPU time used by the process so far, every thread included.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
