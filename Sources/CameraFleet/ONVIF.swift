/// SOAP 1.2 bodies of the ONVIF device service.
enum ONVIF {
    private static let envelopeStart: StaticString = """
        <?xml version="1.0" encoding="UTF-8"?>
        <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" \
        xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" \
        xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body>
        """
    private static let envelopeEnd: StaticString = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n"

    /// A GetSystemDateAndTimeResponse reporting `time` as the camera's UTC clock.
    static func writeSystemDateAndTime(_ time: UTCTime, into output: inout OutputBuffer) {
        output.append(envelopeStart)
        output.append("""
            <tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>\
            <tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>\
            <tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>
            """)
        output.append(decimal: time.hour)
        output.append("</tt:Hour><tt:Minute>")
        output.append(decimal: time.minute)
        output.append("</tt:Minute><tt:Second>")
        output.append(decimal: time.second)
        output.append("</tt:Second></tt:Time><tt:Date><tt:Year>")
        output.append(decimal: time.year)
        output.append("</tt:Year><tt:Month>")
        output.append(decimal: time.month)
        output.append("</tt:Month><tt:Day>")
        output.append(decimal: time.day)
        output.append("</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>")
        output.append(envelopeEnd)
    }

    /// The fault a device returns for an action it does not implement (every action but the clock, here).
    static func writeActionNotSupportedFault(into output: inout OutputBuffer) {
        output.append(envelopeStart)
        output.append("""
            <SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Receiver</SOAP-ENV:Value>\
            <SOAP-ENV:Subcode><SOAP-ENV:Value>ter:ActionNotSupported</SOAP-ENV:Value></SOAP-ENV:Subcode>\
            </SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Action not supported</SOAP-ENV:Text>\
            </SOAP-ENV:Reason></SOAP-ENV:Fault>
            """)
        output.append(envelopeEnd)
    }
}
