// camera-fleet: many fake cameras on 127.0.0.0/8 for tests, demos and benchmarks of xueliang.
// All behaviour lives in the CameraFleet library; this file only wires the process together.
import CameraFleet
import Foundation

/// Writes a line unbuffered, so that a script reading the pipe sees it at once.
func report(_ message: String) {
    FileHandle.standardOutput.write(Data("camera-fleet: \(message)\n".utf8))
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("camera-fleet: \(message)\n".utf8))
    exit(status)
}

let commandLine: FleetCommandLine
do {
    commandLine = try FleetCommandLine.parse(Array(CommandLine.arguments.dropFirst())) { path in
        // A file past the limit is refused by its size, before a byte of it is read.
        var status = stat()
        guard stat(path, &status) == 0 else { throw FleetError.invalidArgument(String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        guard size <= SnapshotPicture.maximumBytes else {
            throw FleetError.invalidArgument("it has \(size) bytes; camera-fleet reads files of at most \(SnapshotPicture.maximumBytes >> 20) MiB")
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
} catch {
    fail("\(error)", status: 64)  // EX_USAGE
}
if commandLine.showHelp {
    print(FleetCommandLine.usage)
    exit(0)
}

FleetProcess.ignoreBrokenPipe()
let descriptorLimit = FleetProcess.raiseOpenFileLimit()
// Before any thread starts, so that the loop thread inherits the mask and only sigwait sees the signals.
FleetProcess.blockTerminationSignals()

let fleet: CameraFleet
let ports: (httpPort: UInt16, rtspPort: UInt16)
do {
    fleet = try CameraFleet(configuration: commandLine.configuration)
    ports = try fleet.start()
} catch {
    fail("\(error)", status: 71)  // EX_OSERR
}
let configuration = commandLine.configuration
report("http port \(ports.httpPort), rtsp port \(ports.rtspPort); "
    + "default \(configuration.defaultBehaviour.name), \(configuration.behaviours.count) mapped, "
    + "pattern \(configuration.pattern.map { "\($0)" } ?? "none"), descriptor limit \(descriptorLimit)")
if let readyFile = commandLine.readyFile {
    do {
        // Atomic (write then rename), so a script polling for the file never reads half of it.
        try "\(ports.httpPort) \(ports.rtspPort)\n".write(toFile: readyFile, atomically: true, encoding: .utf8)
    } catch {
        fleet.stop()
        fail("cannot write ready file \(readyFile): \(error)", status: 73)  // EX_CANTCREAT
    }
}

let signal = FleetProcess.waitForTerminationSignal()
fleet.stop()
if let readyFile = commandLine.readyFile {
    unlink(readyFile)  // a stale ready file would tell the next script a dead fleet is listening
}
let statistics = fleet.statistics()
report("stopped by signal \(signal); \(statistics.requestsServed) requests served, "
    + "\(statistics.connectionsAccepted) connections accepted, \(statistics.connectionsRejected) rejected")
exit(0)
