/// One growable column of the tape's struct-of-arrays: a raw buffer with a count.
///
/// Unlike `Array` it is owned by exactly one ``Tape`` (it is `~Copyable`), so an
/// append is a capacity check and a store — no uniqueness check, no retain of a
/// buffer on every read. Elements must be trivial values (numbers, `Shape`,
/// `Operation`, `Window`): the buffer is freed without deinitialising them.
/// Indexing is bounds-checked (one unsigned comparison), as `Array`'s is.
struct Column<Element>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }
    var indices: Range<Int> { 0..<count }
    /// The live elements; valid until the next append (which may move the buffer).
    var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: base, count: count) }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "Column index out of range")
            return base[i]
        }
        set {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "Column index out of range")
            base[i] = newValue
        }
    }

    mutating func reserveCapacity(_ minimum: Int) {
        guard minimum > capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: minimum)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = minimum
    }

    @inline(never)
    mutating func grow(toAtLeast minimum: Int) {
        reserveCapacity(Swift.max(minimum, 2 * capacity))
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(toAtLeast: count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func append(repeating element: Element, count n: Int) {
        if count + n > capacity { grow(toAtLeast: count + n) }
        (base + count).initialize(repeating: element, count: n)
        count += n
    }

    mutating func append(contentsOf elements: [Element]) {
        let n = elements.count
        if count + n > capacity { grow(toAtLeast: count + n) }
        elements.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            (base + count).initialize(from: start, count: n)
        }
        count += n
    }

    /// Drops the last `n` elements (trivial values: nothing to deinitialise).
    mutating func removeLast(_ n: Int = 1) {
        precondition(n >= 0 && n <= count, "Column has fewer than \(n) elements")
        count -= n
    }

    /// Forgets every element and keeps the storage.
    mutating func removeAll() { count = 0 }

    /// Overwrites `elements.count` elements starting at `start`.
    mutating func overwrite(from start: Int, with elements: [Element]) {
        precondition(start >= 0 && start + elements.count <= count, "Column range out of bounds")
        elements.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress else { return }
            (base + start).update(from: from, count: elements.count)
        }
    }

    /// A copy of `count` elements from `start`.
    func array(from start: Int, count n: Int) -> [Element] {
        precondition(start >= 0 && start + n <= count, "Column range out of bounds")
        return Array(UnsafeBufferPointer(start: base + start, count: n))
    }
}
