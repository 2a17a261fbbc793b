import Foundation
import Localization
import PictureQuality

/// `xueliang inspect`: a picture's measures and findings, as text and as `xueliang.inspect/1`.
public enum PictureInspection {
    public static func text(_ diagnosis: PictureDiagnosis, picture: DCPicture, path: String, bytes: Int) -> String {
        func number(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
        let luma = diagnosis.luma
        let findings = diagnosis.findings.isEmpty ? localized("none (a normal picture)")
            : diagnosis.findings.map { Vocabulary.name("reason", $0.rawValue) }.joined(separator: ", ")
        var lines = [
            "\(path): JPEG \(picture.width)x\(picture.height), " + localized("\(bytes) bytes") + (picture.isProgressive ? localized(", progressive") : ""),
            localized("findings: \(findings)"),
            localized("luma: mean \(number(luma.mean)), deviation \(number(luma.standardDeviation)), dark share \(number(luma.darkShare, 3)), bright share \(number(luma.brightShare, 3)), near-median share \(number(luma.nearMedianShare, 3))"),
            localized("dominant colour share \(number(diagnosis.dominantColourShare, 3))"),
            localized("sharpness: AC energy per block \(number(diagnosis.sharpness.acEnergyPerBlock)), weighted non-zero share \(number(diagnosis.sharpness.weightedNonZeroShare, 3))"),
        ]
        if let cast = diagnosis.colourCast {
            lines.append(localized("colour: cast factor \(number(cast.castFactor, 2)), mean chroma distance \(number(cast.meanChromaDistance)), mean chroma magnitude \(number(cast.meanChromaMagnitude))"))
        } else {
            lines.append(localized("colour: a greyscale picture"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ diagnosis: PictureDiagnosis, picture: DCPicture, bytes: Int) -> String {
        struct Document: Encodable {
            var schema = "xueliang.inspect/1"
            var width: Int
            var height: Int
            var bytes: Int
            var progressive: Bool
            var findings: [String]
            var meanLuma, lumaDeviation, darkShare, brightShare, nearMedianShare, dominantColourShare: Double
            var acEnergyPerBlock, weightedNonZeroShare: Double
            var castFactor: Double?
            enum CodingKeys: String, CodingKey {
                case schema, width, height, bytes, progressive, findings
                case meanLuma = "mean_luma", lumaDeviation = "luma_deviation", darkShare = "dark_share", brightShare = "bright_share"
                case nearMedianShare = "near_median_share", dominantColourShare = "dominant_colour_share"
                case acEnergyPerBlock = "ac_energy_per_block", weightedNonZeroShare = "weighted_non_zero_share", castFactor = "cast_factor"
            }
        }
        let luma = diagnosis.luma
        return JSONDocument.encode(Document(width: picture.width, height: picture.height, bytes: bytes, progressive: picture.isProgressive,
                                            findings: diagnosis.findings.map(\.rawValue), meanLuma: luma.mean, lumaDeviation: luma.standardDeviation,
                                            darkShare: luma.darkShare, brightShare: luma.brightShare, nearMedianShare: luma.nearMedianShare,
                                            dominantColourShare: diagnosis.dominantColourShare,
                                            acEnergyPerBlock: diagnosis.sharpness.acEnergyPerBlock,
                                            weightedNonZeroShare: diagnosis.sharpness.weightedNonZeroShare,
                                            castFactor: diagnosis.colourCast?.castFactor))
    }
}
