import Foundation
import XueliangCLI

XueliangCLI.prepareProcess(arguments: Array(CommandLine.arguments.dropFirst()))
let code = await XueliangCLI.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
                                 output: StandardOutput())
// Everything is written (output unbuffered, state fsynced) by now. _exit, not exit: exit's library destructors
// (libcurl's LDAP/SASL, OpenSSL) ran while threads that a cancelled command left (a reaped alert's waiter)
// were still freeing memory, and once corrupted the heap on the way out.
_exit(code)
