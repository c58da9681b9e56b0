import Foundation

/// A Python test server on 127.0.0.1 (the fake hub, the webhook receiver): started with `arguments`, it
/// prints "PORT n" on its first line once listening on an ephemeral port.
/// - Returns: the running process and its port.
/// - Throws: a description of what it printed instead, when it did not start (the process is killed).
func startLoopbackScript(_ script: URL, _ arguments: [String]) throws -> (process: Process, port: Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    try process.run()
    // The first line is "PORT n"; end of file first means the script failed.
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        guard !chunk.isEmpty else { break }
        line.append(chunk)
    }
    guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
          let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
        kill(process.processIdentifier, SIGKILL)
        throw LoopbackScriptError(description: "\(script.lastPathComponent) did not start (printed \(String(decoding: line, as: UTF8.self)))")
    }
    return (process, port)
}

struct LoopbackScriptError: Error, CustomStringConvertible {
    var description: String
}
