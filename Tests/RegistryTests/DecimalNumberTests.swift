import Foundation
import Glibc
import Testing
import TestSupport
@testable import Registry

@Suite struct StrictNumberTests {
    @Test(arguments: ["0x10", "nan", "inf", "-inf", "1e2", "22.", ".5", "+", "", " 22", "22 ", "２２", "22.5.1", "0x1p3"])
    func onlyPlainDecimalsAreNumbers(text: String) {
        #expect(DecimalNumber.parse(text) == nil, "\(text)")
    }

    @Test func plainDecimalsAre() {
        #expect(DecimalNumber.parse("22.815") == 22.815)
        #expect(DecimalNumber.parse("-0.5") == -0.5)
        #expect(DecimalNumber.parse("+108") == 108)
        #expect(DecimalNumber.parse("007.25") == 7.25)
    }

    @Test func fieldsRefuseHexAndSpecialValues() {
        var camera = CameraRecord(id: "45012801001320000001", name: "x", village: try! VillageCode.parse("450128101201").get())
        for text in ["0x10", "nan", "inf", "1e1"] {
            #expect(throws: FieldProblem.self) { try camera.set(.latitude, text: text) }
        }
        #expect(throws: FieldProblem.self) { try camera.set(.positionType, text: "+5") }
        #expect(throws: FieldProblem.self) { try camera.set(.positionType, text: "0x5") }
        try? camera.set(.latitude, text: "22.5")
        #expect(camera.latitude == 22.5)
    }
}

