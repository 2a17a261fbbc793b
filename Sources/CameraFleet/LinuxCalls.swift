import CLinux
import Glibc

/// The Linux calls the fleet's loop makes that Swift's Glibc module does not export (epoll, accept4),
/// reached through the header-only CLinux module.
struct LinuxCalls: Sendable {
    static let shared = LinuxCalls()

    func epollCreate1(_ flags: Int32) -> Int32 { epoll_create1(flags) }

    func epollControl(_ epoll: Int32, _ operation: Int32, _ descriptor: Int32, _ event: UnsafeMutableRawPointer?) -> Int32 {
        epoll_ctl(epoll, operation, descriptor, event?.assumingMemoryBound(to: epoll_event.self))
    }

    func epollWait(_ epoll: Int32, _ events: UnsafeMutableRawPointer?, _ capacity: Int32, _ timeout: Int32) -> Int32 {
        epoll_wait(epoll, events?.assumingMemoryBound(to: epoll_event.self), capacity, timeout)
    }

    func accept4(_ listener: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: UnsafeMutablePointer<socklen_t>?, _ flags: Int32) -> Int32 {
        CLinux.accept4(listener, address, length, flags)
    }
}

/// Constants and the layout of `struct epoll_event` from <sys/epoll.h>.
enum Epoll {
    static let readable: UInt32 = 0x001  // EPOLLIN
    static let writable: UInt32 = 0x004  // EPOLLOUT
    static let error: UInt32 = 0x008  // EPOLLERR
    static let hangUp: UInt32 = 0x010  // EPOLLHUP
    static let peerHalfClosed: UInt32 = 0x2000  // EPOLLRDHUP
    static let edgeTriggered: UInt32 = 1 << 31  // EPOLLET

    static let add: Int32 = 1  // EPOLL_CTL_ADD
    static let delete: Int32 = 2  // EPOLL_CTL_DEL
    static let modify: Int32 = 3  // EPOLL_CTL_MOD

    static let closeOnExec = Int32(O_CLOEXEC)  // EPOLL_CLOEXEC

    // x86-64 declares the struct packed (12 bytes, data at offset 4); the C importer knows the real layout.
    static let eventStride = MemoryLayout<epoll_event>.stride
    static let dataOffset = MemoryLayout<epoll_event>.offset(of: \epoll_event.data)!
}

/// A caller-owned array of `struct epoll_event`, read and written at byte offsets because Swift cannot
/// declare the packed layout.
struct EpollEventBuffer: ~Copyable {
    let capacity: Int
    private let storage: UnsafeMutableRawPointer

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(byteCount: capacity * Epoll.eventStride, alignment: 8)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * Epoll.eventStride)
    }

    deinit { storage.deallocate() }

    var pointer: UnsafeMutableRawPointer { storage }

    func events(at index: Int) -> UInt32 {
        storage.loadUnaligned(fromByteOffset: index * Epoll.eventStride, as: UInt32.self)
    }

    func data(at index: Int) -> UInt64 {
        storage.loadUnaligned(fromByteOffset: index * Epoll.eventStride + Epoll.dataOffset, as: UInt64.self)
    }
}

/// Registers, changes or removes `descriptor` in `epoll`; `data` comes back with each of its events.
@discardableResult
func epollControl(_ epoll: Int32, _ operation: Int32, _ descriptor: Int32, events: UInt32, data: UInt64) -> Int32 {
    var event: (UInt64, UInt64) = (0, 0)  // 16 zeroed bytes: room for either layout
    return withUnsafeMutableBytes(of: &event) { raw in
        raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
        raw.storeBytes(of: data, toByteOffset: Epoll.dataOffset, as: UInt64.self)
        return LinuxCalls.shared.epollControl(epoll, operation, descriptor, raw.baseAddress)
    }
}
