import Foundation

/// What a finished program printed and how it exited.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var output: String
    public var errors: String
}

/// Runs `executable` with `arguments`, feeding it `input`, and waits for it to finish.
///
/// Standard error is drained on another thread while standard output is read, so neither pipe can
/// fill and stall the program.
public func runProcess(_ executable: URL, _ arguments: [String], input: String = "") throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        errorData = stderr.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                         errors: String(decoding: errorData, as: UTF8.self))
}

/// Runs a tool found on the PATH.
@discardableResult
public func runTool(_ name: String, _ arguments: [String]) throws -> ProcessResult {
    try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments)
}

/// Whether a tool the tests need is installed (`make test` installs them).
public func toolIsInstalled(_ name: String) -> Bool {
    (try? runTool("which", [name]).status) == 0
}
