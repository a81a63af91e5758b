#if canImport(Glibc)
    import Glibc
#endif
import Storage
import Testing

@Suite struct OpenFileLimitTests {
    /// A soft limit below the hard one is raised to it (in a child process: the limit is the process's).
    @Test func theSoftLimitIsRaisedToTheHardOne() async {
        await #expect(processExitsWith: .success) {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_max > 256 else { exit(0) }
            limit.rlim_cur = 64
            guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, OpenFileLimit.current == 64 else { exit(2) }
            OpenFileLimit.raise()
            let expected = Int(min(limit.rlim_max, 1 << 20))
            exit(OpenFileLimit.current == expected ? 0 : 1)
        }
    }
}
