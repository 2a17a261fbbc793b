import Foundation
import XueliangCLI

XueliangCLI.prepareProcess(arguments: Array(CommandLine.arguments.dropFirst()))
exit(await XueliangCLI.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
                           output: StandardOutput()))
