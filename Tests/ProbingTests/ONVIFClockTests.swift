import Testing
@testable import Probing
import Registry

/// A GetSystemDateAndTimeResponse as cameras write it, with a chosen prefix for the schema elements.
func onvifReply(prefix: String, year: Int = 2026, month: Int = 11, day: Int = 24, hour: Int = 6, minute: Int = 21, second: Int = 35,
                localHour: Int = 14) -> String {
    let p = prefix
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" \
        xmlns:tt="http://www.onvif.org/ver10/schema"><SOAP-ENV:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>
        <\(p)DateTimeType>NTP</\(p)DateTimeType><\(p)TimeZone><\(p)TZ>CST-8</\(p)TZ></\(p)TimeZone>
        <\(p)LocalDateTime><\(p)Time><\(p)Hour>\(localHour)</\(p)Hour><\(p)Minute>\(minute)</\(p)Minute><\(p)Second>\(second)</\(p)Second></\(p)Time>
        <\(p)Date><\(p)Year>\(year)</\(p)Year><\(p)Month>\(month)</\(p)Month><\(p)Day>\(day)</\(p)Day></\(p)Date></\(p)LocalDateTime>
        <\(p)UTCDateTime>
          <\(p)Time><\(p)Hour>\(hour)</\(p)Hour><\(p)Minute> \(minute) </\(p)Minute><\(p)Second>\(second)</\(p)Second></\(p)Time>
          <\(p)Date><\(p)Year>\(year)</\(p)Year><\(p)Month>\(month)</\(p)Month><\(p)Day>\(day)</\(p)Day></\(p)Date>
        </\(p)UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>
        """
}

@Suite struct ONVIFClockTests {
    static let reference = ONVIFDateTime(year: 2026, month: 11, day: 24, hour: 6, minute: 21, second: 35)

    /// The UTC fields are read whatever the prefix, and LocalDateTime (hour 14) is not mistaken for them.
    @Test(arguments: ["tt:", "", "ns2:"])
    func readsUTCDateTime(prefix: String) throws {
        let reading = try ONVIFClock.utcDateTime(in: Array(onvifReply(prefix: prefix).utf8)).get()
        #expect(reading == Self.reference)
        #expect(reading.secondsSinceEpoch == Fixtures.referenceSeconds)
        #expect(reading.description == "2026-11-24 06:21:35")
    }

    @Test func readsTheSimulatorsReply() throws {
        // Fields in the order Sources/CameraFleet/ONVIF.swift writes them: Time before Date, no spaces.
        let reply = "<SOAP-ENV:Envelope><SOAP-ENV:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:UTCDateTime><tt:Time>"
            + "<tt:Hour>6</tt:Hour><tt:Minute>21</tt:Minute><tt:Second>35</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year>"
            + "<tt:Month>11</tt:Month><tt:Day>24</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
            + "</tds:GetSystemDateAndTimeResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"
        #expect(try ONVIFClock.utcDateTime(in: Array(reply.utf8)).get() == Self.reference)
    }

    @Test(arguments: [
        ("<Envelope><Body><GetSystemDateAndTimeResponse/></Body></Envelope>", "no UTCDateTime in reply"),
        ("<s:Envelope><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang=\"en\"> Sender not authorized </s:Text></s:Reason></s:Fault></s:Body></s:Envelope>",
         "no UTCDateTime in reply (SOAP fault: Sender not authorized)"),
        ("<tt:UTCDateTime/>", "UTCDateTime in reply has no readable Year"),
        ("<UTCDateTime><Date><Year>2026</Year><Month>11</Month><Day>24</Day></Date><Time><Hour>6</Hour><Minute>21</Minute></Time></UTCDateTime>",
         "UTCDateTime in reply has no readable Second"),
        ("<UTCDateTime><Date><Year>2026</Year><Month>13</Month><Day>24</Day></Date><Time><Hour>6</Hour><Minute>21</Minute><Second>0</Second></Time></UTCDateTime>",
         "UTCDateTime in reply is not a valid date and time (2026-13-24 06:21:00)"),
        ("<UTCDateTime><Date><Year>twenty</Year></Date></UTCDateTime>", "UTCDateTime in reply has no readable Year"),
        ("<UTCDateTime><Date><Year>2026</Year>", "no UTCDateTime in reply"),
    ])
    func refusesReplyWithoutAClock(reply: String, message: String) {
        #expect(ONVIFClock.utcDateTime(in: Array(reply.utf8)) == .failure(ONVIFClock.Problem(message)))
    }

    @Test func requestNamesTheCall() {
        let body = String(decoding: ONVIFClock.requestBody, as: UTF8.self)
        #expect(body.contains("<GetSystemDateAndTime xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>"))
        #expect(body.contains("http://www.w3.org/2003/05/soap-envelope"))
        #expect(ONVIFClock.contentType
                == "application/soap+xml; charset=utf-8; action=\"http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime\"")
    }

    @Test func faultReasons() {
        let soap11 = "<soap:Envelope><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Bad request</faultstring></soap:Fault></soap:Body></soap:Envelope>"
        #expect(ONVIFClock.faultReason(in: Array(soap11.utf8)) == "Bad request")
        #expect(ONVIFClock.faultReason(in: Array(onvifReply(prefix: "tt:").utf8)) == nil)
    }

    @Test(arguments: [(300.0, "camera clock is 300 s ahead"), (-299.6, "camera clock is 300 s behind"), (0.2, "camera clock agrees with ours"),
                      (-1_795_501_295.0, "camera clock is 1795501295 s behind (about 20781 days)")])
    func describesOffsets(offset: Double, text: String) {
        #expect(ONVIFClock.describeOffset(offset) == text)
    }
}
