import PictureQuality
import POSIXLayer
import Registry
import Reports

/// `xueliang inspect FILE.jpg`: the picture check on a local file, with every measure, for a person tuning
/// thresholds or looking at a camera's snapshot by hand.
struct InspectCommand: Command {
    static let name = "inspect"
    static let abstract = "Diagnose a JPEG picture as the picture check does (signal loss, too dark or bright, low contrast, colour cast) and print its measures."
    static let usage = "FILE.jpg [--json]"
    static let options: [OptionSpec] = [.flag("--json", "print a xueliang.inspect/1 document")]

    /// The largest picture read: a 4K snapshot is a few MB.
    static let readLimit = 64 << 20

    let path: String
    let json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        path = try Self.positionals(arguments, "FILE.jpg")[0]
        json = arguments.has("--json")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        guard let bytes = try Files.read(path, limit: Self.readLimit) else {
            throw InventoryError.missing(path: path, what: "picture", hint: "give the path of a JPEG file")
        }
        let picture: DCPicture
        do {
            picture = try JPEGDCDecoder.decode(bytes)
        } catch {
            throw InventoryError.unreadableInput(path: path, reason: "not a picture the check can read: \(error)")
        }
        let diagnosis = PictureDiagnosis(picture)
        context.output.write(json ? PictureInspection.json(diagnosis, picture: picture, bytes: bytes.count)
                                  : PictureInspection.text(diagnosis, picture: picture, path: path, bytes: bytes.count))
        return ExitCode.success
    }
}
