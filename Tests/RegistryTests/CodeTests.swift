import Testing
@testable import Registry

@Suite struct DeviceCodeTests {
    @Test(arguments: [
        ("45012801001320000001", DeviceType.networkCamera),
        ("45012801001310000001", .camera),
        ("45012801001181000001", .networkVideoRecorder),
        ("45012801001110000001", .digitalVideoRecorder),
    ])
    func acceptsVideoDevices(code: String, type: DeviceType) throws {
        let parsed = try DeviceCode.parse(code).get()
        #expect(parsed.type == type)
        #expect(parsed.countyCode == "450128")
    }

    @Test(arguments: [
        ("4501280100132000001", "is not a 20-digit GB/T 28181 device code"),
        ("450128010013200000012", "is not a 20-digit GB/T 28181 device code"),
        ("45012801001320A00001", "is not a 20-digit GB/T 28181 device code"),
        ("45012801001340000001", "type code 134 (digits 11-13 of 45012801001340000001) is not a video device"),
        ("45012801002000000001", "type code 200"),
    ])
    func refusesMalformedCodes(code: String, message: String) {
        guard case .failure(let problem) = DeviceCode.parse(code) else {
            Issue.record("\(code) was accepted")
            return
        }
        #expect(problem.message.description.contains(message))
    }

    @Test func recordersAreNotCameras() {
        #expect(DeviceType.networkVideoRecorder.isRecorder)
        #expect(!DeviceType.networkCamera.isRecorder)
    }
}

@Suite struct VillageCodeTests {
    @Test func splitsCountyAndTownship() throws {
        let code = try VillageCode.parse("450128101201").get()
        #expect(code.countyCode == "450128")
        #expect(code.townshipCode == "450128101")
    }

    @Test(arguments: ["45012810120", "45012810120A", "450128000201", "450128101000", "450128700201"])
    func refusesBadCodes(text: String) {
        #expect(throws: FieldProblem.self) { try VillageCode.parse(text).get() }
    }
}

@Suite struct FieldTextTests {
    @Test func calendarDatesRoundTripThroughDays() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-24", "2099-12-31"] {
            let date = CalendarDate(text: text)!
            #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
            #expect(date.description == text)
        }
        #expect(CalendarDate(text: "2026-02-29") == nil)
        #expect(CalendarDate(text: "2026/3/5")?.description == "2026-03-05")
        #expect(CalendarDate(text: "1970-01-02")!.daysSinceEpoch == 1)
    }

    @Test func phoneNumbersAreMasked() {
        #expect(PhoneNumber.masked("13812345678") == "138****5678")
        #expect(PhoneNumber.masked("0771-1234567") == "077*****4567")
        #expect(PhoneNumber.isValid("13812345678"))
        #expect(PhoneNumber.isValid("0771-1234567"))
        #expect(!PhoneNumber.isValid("1381234567"))
        #expect(!PhoneNumber.isValid("phone"))
    }

    @Test func coordinatesAreWrittenStably() {
        #expect(FieldText.coordinateText(22.8) == "22.8")
        #expect(FieldText.coordinateText(108.123456789) == "108.123457")
        #expect(FieldText.coordinateText(-0.5) == "-0.5")
    }

    @Test func urlsAreParsedAndRedacted() {
        let url = EndpointURL("rtsp://admin:secret@127.0.0.5:8554/stream")!
        #expect(url.host == "127.0.0.5")
        #expect(url.port == 8554)
        #expect(url.hasUserInfo)
        #expect(EndpointURL.redacted("rtsp://admin:secret@127.0.0.5:8554/stream") == "rtsp://***@127.0.0.5:8554/stream")
        #expect(EndpointURL("http://127.0.0.1:99999/x") == nil)
        #expect(EndpointURL("not a url") == nil)
        #expect(EndpointURL("https://cam.example/x")!.effectivePort == 443)
        #expect(HostPort("127.0.0.1:554")?.port == 554)
        #expect(HostPort("127.0.0.1") == nil)
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(describing: secret) == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(secret.revealed == "hunter2")
    }
}

/// Formula injection: what the spreadsheet writers do to a cell, and what an importer undoes.
@Suite struct SpreadsheetCellTests {
    @Test(arguments: [
        ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+86 139 0739 8888", "'+86 139 0739 8888"), ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\r=x", "'\r=x"), ("＝1+1", "'＝1+1"),
        ("-3.5", "-3.5"), ("+12", "+12"), ("108.3", "108.3"), ("青山村", "青山村"), ("", ""), ("a=b", "a=b"),
    ])
    func neutralisedAndRestored(value: String, written: String) {
        #expect(SpreadsheetCell.neutralised(value) == written)
        #expect(SpreadsheetCell.restored(written) == value)
    }

    @Test func aLeadingQuoteThatGuardsNothingIsKept() {
        #expect(SpreadsheetCell.restored("'s Hertogenbosch") == "'s Hertogenbosch")
        #expect(CSVTable.spreadsheetCell("=a,b") == "\"'=a,b\"")
    }
}
