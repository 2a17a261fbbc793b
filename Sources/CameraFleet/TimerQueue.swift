/// Deadlines of delayed responses (`slow` cameras), earliest first: a binary min-heap the loop consults
/// to choose its epoll_wait timeout, so that the loop never sleeps.
struct TimerQueue {
    struct Entry {
        /// Monotonic milliseconds.
        let deadline: Int64
        let descriptor: Int32
        /// Tells a timer of a closed connection from one of a new connection that reused the descriptor.
        let serial: UInt64
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var earliestDeadline: Int64? { heap.first?.deadline }

    mutating func insert(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if its deadline is at or before `now`.
    mutating func popDue(now: Int64) -> Entry? {
        guard let first = heap.first, first.deadline <= now else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    mutating func removeAll() {
        heap.removeAll()
    }
}
