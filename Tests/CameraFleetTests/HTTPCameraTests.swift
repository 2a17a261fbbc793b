import CameraFleet
import Foundation  // String.range(of:) and components(separatedBy:) in assertions
import Testing

@Suite("HTTP: snapshots, playlists, ONVIF")
struct HTTPCameraTests {
    @Test func healthySnapshotIsARealChangingJPEG() throws {
        try withFleet { fleet throws in
            let first = try fleet.get("127.0.1.1", "/snapshot.jpg")
            #expect(first.statusLine == "HTTP/1.1 200 OK")
            #expect(first.header("Content-Type") == "image/jpeg")
            #expect(first.header("Content-Length") == String(first.body.count))
            let structure = try #require(jpegStructure(first.body))
            #expect(structure.markers.first == 0xD8)
            #expect(structure.markers.last == 0xD9)
            for marker: UInt8 in [0xE0, 0xFE, 0xDB, 0xC0, 0xC4, 0xDA] {
                #expect(structure.markers.contains(marker), "marker FF\(String(marker, radix: 16, uppercase: true))")
            }
            #expect(structure.width == 320 && structure.height == 240)
            #expect(Array(first.body.suffix(2)) == [0xFF, 0xD9])

            let date = try #require(first.header("Date").flatMap(secondsSinceEpoch(httpDate:)))
            #expect(abs(date - nowSeconds()) <= 5)

            // Another live frame: same size, different bytes; any .jpg path works.
            let second = try fleet.get("127.0.1.1", "/cgi-bin/image.jpg?channel=1")
            #expect(second.statusCode == 200)
            #expect(second.body.count == first.body.count)
            #expect(second.body != first.body)
        }
    }

    @Test func frozenSnapshotNeverChanges() throws {
        try withCamera(.frozen, at: "127.0.1.2") { fleet throws in
            let first = try fleet.get("127.0.1.2", "/snapshot.jpg")
            let second = try fleet.get("127.0.1.2", "/snapshot.jpg")
            #expect(first.statusCode == 200)
            #expect(jpegStructure(first.body)?.markers.last == 0xD9)
            #expect(first.body == second.body)
        }
    }

    @Test func keepAliveServesSeveralRequestsAndHeadHasNoBody() throws {
        try withFleet { fleet throws in
            let socket = try fleet.http("127.0.1.3")
            try socket.send(Requests.http("GET", "/snapshot.jpg", host: "127.0.1.3", close: false)
                + Requests.http("HEAD", "/snapshot.jpg", host: "127.0.1.3", close: false)
                + Requests.http("GET", "/live/index.m3u8", host: "127.0.1.3", close: true))
            let snapshot = try socket.readResponse()
            let head = try socket.readResponse(expectBody: false)
            let playlist = try socket.readResponse()
            #expect(snapshot.statusCode == 200 && snapshot.header("Connection") == nil)
            #expect(head.statusCode == 200 && head.header("Content-Length") == snapshot.header("Content-Length"))
            #expect(playlist.statusCode == 200 && playlist.header("Connection") == "close")
            #expect(socket.readToEnd().ending == .endOfStream)
        }
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() throws {
        try withFleet { fleet throws in
            let socket = try fleet.http("127.0.1.7")
            try socket.send("GET /snapshot.jpg HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            let kept = try socket.readResponse()
            #expect(kept.statusCode == 200 && kept.header("Connection") == "keep-alive")
            try socket.send("GET /snapshot.jpg HTTP/1.0\r\n\r\n")
            let last = try socket.readResponse()
            #expect(last.statusCode == 200 && last.header("Connection") == "close")
            #expect(socket.readToEnd().ending == .endOfStream)
        }
    }

    @Test func playlistsAndSegments() throws {
        try withFleet { fleet throws in
            let media = try fleet.get("127.0.1.4", "/live/index.m3u8")
            #expect(media.statusCode == 200)
            #expect(media.header("Content-Type") == "application/vnd.apple.mpegurl")
            let lines = media.bodyText.split(separator: "\n").map(String.init)
            #expect(lines.first == "#EXTM3U")
            #expect(lines.contains("#EXT-X-VERSION:3"))
            #expect(lines.contains("#EXT-X-TARGETDURATION:2"))
            #expect(lines.contains { $0.hasPrefix("#EXT-X-MEDIA-SEQUENCE:") })
            #expect(lines.filter { $0 == "#EXTINF:2.000," }.count == 2)

            let master = try fleet.get("127.0.1.4", "/live/master.m3u8")
            #expect(master.bodyText.hasPrefix("#EXTM3U\n"))
            #expect(master.bodyText.components(separatedBy: "#EXT-X-STREAM-INF:").count == 3)

            let segmentName = try #require(lines.first { $0.hasSuffix(".ts") })
            let segment = try fleet.get("127.0.1.4", "/live/\(segmentName)")
            #expect(segment.statusCode == 200)
            #expect(segment.body.count >= 188 && segment.body.count % 188 == 0)
            #expect(stride(from: 0, to: segment.body.count, by: 188).allSatisfy { segment.body[$0] == 0x47 })
        }
    }

    @Test func onvifSystemDateAndTime() throws {
        try withFleet { fleet throws in
            let time = try onvifTime(fleet, host: "127.0.1.5")
            #expect(abs(time - nowSeconds()) <= 5)
        }
    }

    @Test func unknownPathsAndMethods() throws {
        try withFleet { fleet throws in
            #expect(try fleet.get("127.0.1.6", "/index.html").statusCode == 404)
            let socket = try fleet.http("127.0.1.6")
            try socket.send(Requests.http("DELETE", "/snapshot.jpg", host: "127.0.1.6"))
            #expect(try socket.readResponse().statusCode == 405)
            let soap = try fleet.http("127.0.1.6")
            try soap.send(Requests.http("POST", "/onvif/device_service", host: "127.0.1.6", body: "<GetDeviceInformation/>"))
            let fault = try soap.readResponse()
            #expect(fault.statusCode == 400 && fault.bodyText.contains("ActionNotSupported"))
        }
    }

    // MARK: Faults seen over HTTP

    @Test func serverError() throws {
        try withCamera(.serverError, at: "127.0.2.1") { fleet throws in
            #expect(try fleet.get("127.0.2.1", "/snapshot.jpg").statusCode == 503)
            #expect(try fleet.get("127.0.2.1", "/live/index.m3u8").statusCode == 503)
        }
    }

    @Test func rtspNotFoundCameraHasNoSnapshot() throws {
        try withCamera(.rtspNotFound, at: "127.0.2.2") { fleet throws in
            #expect(try fleet.get("127.0.2.2", "/snapshot.jpg").statusCode == 404)
        }
    }

    @Test func htmlInsteadOfJPEG() throws {
        try withCamera(.htmlInsteadOfJPEG, at: "127.0.2.3") { fleet throws in
            let response = try fleet.get("127.0.2.3", "/snapshot.jpg")
            #expect(response.statusCode == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(response.bodyText.contains("<html>"))
        }
    }

    @Test func truncatedJPEG() throws {
        try withCamera(.truncatedJPEG, at: "127.0.2.4") { fleet throws in
            let response = try fleet.get("127.0.2.4", "/snapshot.jpg")
            let whole = try fleet.get("127.0.2.5", "/snapshot.jpg")
            #expect(response.statusCode == 200)
            #expect(response.header("Content-Length") == String(response.body.count))
            #expect(Array(response.body.prefix(2)) == [0xFF, 0xD8])
            #expect(Array(response.body.suffix(2)) != [0xFF, 0xD9])
            #expect(response.body.count < whole.body.count)
        }
    }

    @Test func badPlaylist() throws {
        try withCamera(.badPlaylist, at: "127.0.2.6") { fleet throws in
            for path in ["/live/index.m3u8", "/live/master.m3u8"] {
                let response = try fleet.get("127.0.2.6", path)
                #expect(response.statusCode == 200)
                #expect(!response.bodyText.hasPrefix("#EXTM3U"))
            }
            #expect(try fleet.get("127.0.2.6", "/snapshot.jpg").statusCode == 200)
        }
    }

    @Test func clockSkewShiftsDateAndONVIF() throws {
        try withCamera(.clockSkew(seconds: 3600), at: "127.0.2.7") { fleet throws in
            let response = try fleet.get("127.0.2.7", "/snapshot.jpg")
            let date = try #require(response.header("Date").flatMap(secondsSinceEpoch(httpDate:)))
            #expect(abs(date - 3600 - nowSeconds()) <= 5)
            #expect(abs(try onvifTime(fleet, host: "127.0.2.7") - 3600 - nowSeconds()) <= 5)
        }
    }

    @Test func endlessBodyStreamsWithoutContentLength() throws {
        try withCamera(.endlessBody, at: "127.0.2.8") { fleet throws in
            let socket = try fleet.http("127.0.2.8")
            try socket.send(Requests.http("GET", "/snapshot.jpg", host: "127.0.2.8"))
            let head = try socket.readResponse()
            #expect(head.statusCode == 200)
            #expect(head.header("Content-Type") == "image/jpeg")
            #expect(head.header("Content-Length") == nil)
            // Far more than any socket buffer holds: the fleet keeps writing as the client drains.
            let body = try socket.readExactly(4 * 1024 * 1024)
            #expect(Array(body.prefix(2)) == [0xFF, 0xD8])
        }
    }

    @Test func basicAuthentication() throws {
        try withCamera(.authBasic, at: "127.0.2.9") { fleet throws in
            let challenge = try fleet.get("127.0.2.9", "/snapshot.jpg")
            #expect(challenge.statusCode == 401)
            #expect(challenge.header("WWW-Authenticate") == #"Basic realm="fleet""#)
            // admin:fleet, the default credentials
            let accepted = try fleet.get("127.0.2.9", "/snapshot.jpg", headers: ["Authorization: Basic YWRtaW46ZmxlZXQ="])
            #expect(accepted.statusCode == 200 && jpegStructure(accepted.body) != nil)
            // admin:wrong
            let refused = try fleet.get("127.0.2.9", "/snapshot.jpg", headers: ["Authorization: Basic YWRtaW46d3Jvbmc="])
            #expect(refused.statusCode == 401)
        }
    }

    @Test func digestAuthentication() throws {
        try withCamera(.authDigest, at: "127.0.2.10") { fleet throws in
            let challenge = try fleet.get("127.0.2.10", "/snapshot.jpg")
            #expect(challenge.statusCode == 401)
            let header = try #require(challenge.header("WWW-Authenticate"))
            #expect(header.hasPrefix(#"Digest realm="fleet", nonce=""#))
            #expect(header.contains(#"qop="auth""#))
            let nonce = try #require(HTTPDigest.parameters(header)?["nonce"])

            func authorization(password: String) -> String {
                let response = HTTPDigest.response(
                    username: "admin", realm: "fleet", password: password, method: "GET", uri: "/snapshot.jpg",
                    nonce: nonce, qop: "auth", nonceCount: "00000001", clientNonce: "c0ffee")
                return #"Authorization: Digest username="admin", realm="fleet", nonce="\#(nonce)", uri="/snapshot.jpg", "#
                    + #"response="\#(response)", qop=auth, nc=00000001, cnonce="c0ffee", algorithm=MD5"#
            }
            let accepted = try fleet.get("127.0.2.10", "/snapshot.jpg", headers: [authorization(password: "fleet")])
            #expect(accepted.statusCode == 200 && jpegStructure(accepted.body) != nil)
            let refused = try fleet.get("127.0.2.10", "/snapshot.jpg", headers: [authorization(password: "guess")])
            #expect(refused.statusCode == 401)
        }
    }

    @Test func slowDelaysTheResponse() throws {
        try withCamera(.slow(milliseconds: 300), at: "127.0.2.11") { fleet throws in
            let started = ContinuousClock.now
            let response = try fleet.get("127.0.2.11", "/snapshot.jpg")
            #expect(response.statusCode == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    private func onvifTime(_ fleet: RunningFleet, host: String) throws -> Int {
        let socket = try fleet.http(host)
        try socket.send(Requests.http(
            "POST", "/onvif/device_service", host: host,
            headers: [#"Content-Type: application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime""#],
            body: Requests.getSystemDateAndTime))
        let response = try socket.readResponse()
        #expect(response.statusCode == 200)
        #expect(response.header("Content-Type")?.hasPrefix("application/soap+xml") == true)
        let xml = response.bodyText
        #expect(xml.contains("http://www.w3.org/2003/05/soap-envelope"))
        for element in ["tds:GetSystemDateAndTimeResponse", "tds:SystemDateAndTime", "tt:UTCDateTime", "tt:Time", "tt:Date"] {
            #expect(xml.contains("<\(element)>"), "\(element)")
        }
        func field(_ name: String) throws -> Int {
            let start = try #require(xml.range(of: "<tt:\(name)>"))
            let end = try #require(xml.range(of: "</tt:\(name)>"))
            return try #require(Int(xml[start.upperBound..<end.lowerBound]))
        }
        return secondsSinceEpoch(year: try field("Year"), month: try field("Month"), day: try field("Day"))
            + (try field("Hour")) * 3600 + (try field("Minute")) * 60 + (try field("Second"))
    }
}
