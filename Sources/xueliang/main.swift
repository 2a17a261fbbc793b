import Foundation
import XueliangCLI

XueliangCLI.prepareProcess()
exit(await XueliangCLI.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
                           output: StandardOutput()))
