/// HLS playlists (RFC 8216) as a camera's live stream publishes them.
enum HLS {
    /// Every segment lasts this long; the media playlist slides one segment per this many seconds.
    static let segmentSeconds = 2

    /// A live media playlist of two segments, numbered from `mediaSequence`.
    static func writeMediaPlaylist(mediaSequence: Int, into output: inout OutputBuffer) {
        output.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:")
        output.append(decimal: mediaSequence)
        output.append("\n")
        for segment in mediaSequence...(mediaSequence + 1) {
            output.append("#EXTINF:2.000,\nsegment")
            output.append(decimal: segment)
            output.append(".ts\n")
        }
    }

    /// A master playlist offering a main and a sub stream, both served by the same media playlist.
    static func writeMasterPlaylist(into output: inout OutputBuffer) {
        output.append("""
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2"
            index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x240,CODECS="avc1.42c00d,mp4a.40.2"
            index.m3u8

            """)
    }
}
