/// Which listening socket accepted a connection, and so which protocol it speaks.
enum ServiceProtocol {
    case http
    case rtsp
}

/// One accepted connection's state. Owned by the loop thread; never shared.
final class Connection {
    let descriptor: Int32
    /// Unique for the loop's lifetime, unlike descriptors, which the kernel reuses.
    let serial: UInt64
    let service: ServiceProtocol
    let camera: CameraContext

    /// Received bytes not yet answered: a partial request, or requests waiting behind a delay or unsent output.
    var inbound: [UInt8] = []
    /// Response bytes the socket did not take yet.
    var outbound: [UInt8] = []
    /// How many of `outbound`'s bytes have been sent.
    var outboundSent = 0
    /// Close once `outbound` is sent.
    var closeWhenFlushed = false
    /// After the head, send this body forever.
    var endlessBody: EndlessBody?
    /// Where the endless body's (or the drip's) repeating chunk continues.
    var endlessOffset = 0
    /// A `slowloris` connection: its timer sends one byte per tick.
    var drips = false
    /// A `slow` camera holds the first buffered request until its timer fires.
    var awaitingTimer = false
    /// The timer for the first buffered request has fired: answer it now.
    var delayElapsed = false
    /// The client finished sending (read returned 0).
    var peerClosed = false
    /// Read and drop everything (blackholes, and endless responses, which never look at requests again).
    var discardsInput = false
    /// The epoll event mask registered, or nil before registration.
    var registeredEvents: UInt32?
    var isClosed = false
    /// The RTP stream after PLAY, until TEARDOWN; nil when none runs.
    var media: MediaStream?

    init(descriptor: Int32, serial: UInt64, service: ServiceProtocol, camera: CameraContext) {
        self.descriptor = descriptor
        self.serial = serial
        self.service = service
        self.camera = camera
        discardsInput = camera.behaviour == .blackhole
    }

    var hasPendingOutput: Bool { outboundSent < outbound.count }

    /// Whether the socket must be watched for writability: bytes wait, or an endless body goes on.
    var wantsWritable: Bool { hasPendingOutput || endlessBody != nil }

    /// Whether buffered requests may be answered now.
    var canAnswer: Bool { !isClosed && !hasPendingOutput && !awaitingTimer && endlessBody == nil && !discardsInput }
}
