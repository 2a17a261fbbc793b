import Glibc

/// Reading requests, answering them and writing responses on one connection. Sockets are registered
/// edge-triggered, so every read goes on until the socket is drained (or a budget sends the connection
/// to the backlog), and writes wait for EPOLLOUT only when the socket refused bytes.
extension EventLoop {
    /// Does everything a connection can do now: send what is pending, read what arrived, answer complete
    /// requests, close if finished, and keep its epoll registration in step.
    func drive(_ connection: Connection, canRead: Bool, readUntilDrained: Bool) {
        if connection.camera.behaviour == .neverReads {
            // Requests stay in the socket; only the client's close (a hang-up or half-close) ends it.
            if readUntilDrained { closeConnection(connection) } else { updateRegistration(connection) }
            return
        }
        if connection.wantsWritable {
            flush(connection)
            if connection.isClosed { return }
        }
        if canRead {
            readAvailable(connection, untilDrained: readUntilDrained)
            if connection.isClosed { return }
        }
        answerBuffered(connection)
        if connection.isClosed { return }
        if connection.peerClosed && !connection.wantsWritable && !connection.awaitingTimer {
            // The client will send nothing more and is owed nothing: blackholes end here too.
            closeConnection(connection)
            return
        }
        updateRegistration(connection)
    }

    // MARK: Reading

    private func readAvailable(_ connection: Connection, untilDrained: Bool) {
        for _ in 0..<Self.readsPerTurn {
            let count = recv(connection.descriptor, readBuffer.baseAddress, readBuffer.count, 0)
            if count > 0 {
                received(connection, UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                if connection.isClosed { return }
                // A short read emptied the socket; data arriving later raises a new edge.
                if count < readBuffer.count && !untilDrained { return }
                continue
            }
            if count == 0 {
                connection.peerClosed = true
                return
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK: return
            case EINTR: continue
            default:
                closeConnection(connection)  // ECONNRESET and the like: nobody left to answer
                return
            }
        }
        backlog.append((connection.descriptor, connection.serial))
    }

    private func received(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        if connection.discardsInput { return }
        if connection.inbound.isEmpty && connection.canAnswer {
            // The common case: answer straight from the read buffer, copying only an unfinished tail.
            let used = answer(connection, bytes)
            if !connection.isClosed && used < bytes.count {
                connection.inbound.append(contentsOf: bytes[used...])
            }
        } else {
            connection.inbound.append(contentsOf: bytes)
        }
        if connection.inbound.count > Self.maximumInbound { closeConnection(connection) }
    }

    /// Answers the complete requests waiting in the connection's inbound buffer, if it may answer now.
    private func answerBuffered(_ connection: Connection) {
        guard connection.canAnswer, !connection.inbound.isEmpty else { return }
        let pending = connection.inbound
        connection.inbound = []
        let used = pending.withUnsafeBytes { answer(connection, $0) }
        if connection.isClosed || connection.discardsInput { return }
        connection.inbound = used == 0 ? pending : Array(pending[used...])
    }

    /// Answers requests from the start of `bytes` while the connection may; returns how many bytes the
    /// answered requests took. A `slow` camera stops at its first request and sets a timer instead.
    private func answer(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while offset < bytes.count && connection.canAnswer {
            switch Request.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .incomplete:
                return offset
            case .malformed:
                respondToMalformedRequest(connection)
                return bytes.count
            case .complete(let request):
                let delay = connection.camera.behaviour.responseDelayMilliseconds
                if delay > 0 && !connection.delayElapsed {
                    connection.awaitingTimer = true
                    // One more millisecond: the clock is read in whole milliseconds, and a delay must never be short.
                    timers.insert(.init(
                        deadline: Sockets.monotonicMilliseconds() + Int64(delay) + 1,
                        descriptor: connection.descriptor, serial: connection.serial))
                    return offset
                }
                connection.delayElapsed = false
                offset += request.totalLength
                respond(connection, to: request)
            }
        }
        return offset
    }

    // MARK: Answering

    private func respond(_ connection: Connection, to request: Request) {
        shared.recordRequestServed()
        output.reset()
        let ending =
            switch connection.service {
            case .http: http.respond(to: request, camera: connection.camera, clock: &clock, into: &output)
            case .rtsp: rtsp.respond(to: request, camera: connection.camera, clock: &clock, into: &output)
            }
        switch ending {
        case .keepOpen:
            break
        case .close:
            connection.closeWhenFlushed = true
        case .streamForever(let body):
            connection.endlessBody = body
            connection.discardsInput = true
            connection.inbound = []
        case .drip:
            connection.drips = true
            connection.discardsInput = true
            connection.inbound = []
            armDrip(connection)
        case .startMedia:
            send(connection)
            startMedia(connection)
            return
        case .stopMedia:
            shared.recordTeardown()
            connection.media = nil
        }
        send(connection)
    }

    private func armDrip(_ connection: Connection) {
        timers.insert(.init(deadline: Sockets.monotonicMilliseconds() + dripMilliseconds, descriptor: connection.descriptor,
                            serial: connection.serial))
    }

    /// Sends a `slowloris` connection's next byte and waits for the next tick.
    func drip(_ connection: Connection) {
        guard !connection.hasPendingOutput else {
            armDrip(connection)
            return
        }
        let chunk = assets.endlessHeaderChunk
        let offset = connection.endlessOffset
        let sent = chunk.withUnsafeBytes { Glibc.send(connection.descriptor, $0.baseAddress! + offset, 1, Int32(MSG_NOSIGNAL)) }
        if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            closeConnection(connection)
            return
        }
        if sent == 1 { connection.endlessOffset = (offset + 1) % chunk.count }
        armDrip(connection)
    }

    private func respondToMalformedRequest(_ connection: Connection) {
        output.reset()
        switch connection.service {
        case .http: output.append("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        case .rtsp: output.append("RTSP/1.0 400 Bad Request\r\n\r\n")
        }
        connection.closeWhenFlushed = true
        send(connection)
    }

    // MARK: Writing

    /// Sends the response in `output`; whatever the socket does not take waits in the connection.
    private func send(_ connection: Connection) {
        let sent = output.withUnsafeBytes { Glibc.send(connection.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent == output.count {
            if connection.closeWhenFlushed {
                closeConnection(connection)
            } else if connection.endlessBody != nil {
                streamEndlessBody(connection)
            }
            return
        }
        if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            closeConnection(connection)  // EPIPE, ECONNRESET: the client left
            return
        }
        connection.outbound = Array(output.bytes[max(sent, 0)...])
        connection.outboundSent = 0
    }

    /// Sends pending bytes, then the endless body if there is one.
    private func flush(_ connection: Connection) {
        while connection.hasPendingOutput {
            let sent = connection.outbound.withUnsafeBytes {
                Glibc.send(connection.descriptor, $0.baseAddress! + connection.outboundSent, $0.count - connection.outboundSent, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.outboundSent += sent
                continue
            }
            if sent < 0 && errno == EINTR { continue }
            if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            closeConnection(connection)
            return
        }
        connection.outbound = []
        connection.outboundSent = 0
        if connection.closeWhenFlushed {
            closeConnection(connection)
        } else if connection.endlessBody != nil {
            streamEndlessBody(connection)
        }
    }

    /// Writes the endless body's repeating chunk while the socket takes it, within the turn's budget;
    /// memory stays flat because nothing is queued beyond the socket buffer.
    private func streamEndlessBody(_ connection: Connection) {
        guard let body = connection.endlessBody else { return }
        let chunk = switch body {
        case .jpegEntropy: assets.endlessJPEGChunk
        case .sdpLines: assets.endlessSDPChunk
        case .headerLines: assets.endlessHeaderChunk
        }
        for _ in 0..<Self.endlessWritesPerTurn {
            let offset = connection.endlessOffset
            let sent = chunk.withUnsafeBytes {
                Glibc.send(connection.descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.endlessOffset = (offset + sent) % chunk.count
                continue
            }
            if sent < 0 && errno == EINTR { continue }
            if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            closeConnection(connection)
            return
        }
        backlog.append((connection.descriptor, connection.serial))
    }

    // MARK: Registration and closing

    /// Registers the connection with epoll, or changes its events, when what it waits for changed.
    private func updateRegistration(_ connection: Connection) {
        var wanted = Epoll.readable | Epoll.peerHalfClosed | Epoll.edgeTriggered
        if connection.wantsWritable { wanted |= Epoll.writable }
        guard connection.registeredEvents != wanted else { return }
        let operation = connection.registeredEvents == nil ? Epoll.add : Epoll.modify
        let data = (connection.serial & 0xFFFF_FFFF) << 32 | UInt64(UInt32(bitPattern: connection.descriptor))
        guard epollControl(epoll, operation, connection.descriptor, events: wanted, data: data) == 0 else {
            closeConnection(connection)  // ENOMEM or ENOSPC (max_user_watches): cannot serve it
            return
        }
        connection.registeredEvents = wanted
    }

    /// Closes the socket (which also removes it from epoll) and forgets the connection.
    func closeConnection(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        // Counted before the close, so that a client that has seen the connection end also sees it counted.
        shared.recordConnectionClosed(address: connection.camera.address)
        close(connection.descriptor)
        connections[Int(connection.descriptor)] = nil
    }
}
