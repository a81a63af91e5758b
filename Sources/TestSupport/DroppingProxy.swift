import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP proxy in front of an S3 test server (Python, one request per connection) that cuts the
/// connection in the middle of the body of any request whose request line contains one of `cutting` (a part
/// number, a key), at most `times` times when given, and forwards everything else. Started for one test and killed
/// by its PID afterwards.
package enum DroppingProxy {
    static let script = #"""
        import socket, sys, threading
        host, port = sys.argv[1].rsplit("//", 1)[1].split(":")
        markers = [marker.encode() for marker in sys.argv[3:]]
        budget = {"left": int(sys.argv[2])}
        lock = threading.Lock()
        listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0)); listener.listen(64)
        print(listener.getsockname()[1], flush=True)

        def cut(request_line):
            if not any(marker in request_line for marker in markers):
                return False
            with lock:
                if budget["left"] == 0:
                    return False
                budget["left"] -= 1
                return True

        def serve(client):
            try:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = client.recv(65536)
                    if not chunk: return
                    head += chunk
                head, body = head.split(b"\r\n\r\n", 1)
                lines = head.split(b"\r\n")
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length": length = int(value.strip())
                if cut(lines[0]):
                    return  # the request head (and maybe some body) is in, the rest never goes anywhere
                while len(body) < length:
                    chunk = client.recv(65536)
                    if not chunk: return
                    body += chunk
                kept = [line for line in lines if not line.lower().startswith(b"connection:")]
                upstream = socket.create_connection((host, int(port)))
                upstream.sendall(b"\r\n".join(kept) + b"\r\nConnection: close\r\n\r\n" + body)
                while True:
                    chunk = upstream.recv(65536)
                    if not chunk: break
                    client.sendall(chunk)
                upstream.close()
            finally:
                client.close()

        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
        """#

    package struct DidNotStart: Error {}

    /// Runs `body` with the proxy's endpoint (`http://127.0.0.1:<port>`) in front of `upstream`; requests naming
    /// any of `cutting` are cut, every time, or only the first `times` of them.
    package static func with<T>(upstream: String, cutting: [String], times: Int? = nil, _ body: (String) async throws -> T)
        async throws -> T
    {
        let process = Process()
        process.executableURL = S3TestServer.python
        process.arguments = ["-c", script, upstream, String(times ?? -1)] + cutting
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            // SIGKILL: the test process may block SIGTERM, and its children inherit the mask.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw DidNotStart() }
            line += chunk
        }
        let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try await body("http://127.0.0.1:\(port)")
    }
}
