import Foundation
import XueliangCLI

exit(await XueliangCLI.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
                           output: StandardOutput()))
