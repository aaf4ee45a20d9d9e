/// SHA-256 of some bytes, as lowercase hex: the key of every content-addressed
/// cache entry (typeset math, rendered pages).
///
/// ```swift
/// ContentHash.hex(of: Array("abc".utf8))   // "ba7816bf…"
/// ```
/// Written from the FIPS 180-4 description; a collision-resistant hash matters
/// because notes written by others decide the keys.
package enum ContentHash {
    package static func hex(of bytes: [UInt8]) -> String {
        var state = SHA256State()
        state.absorb(bytes)
        // One string of 64 digits (a string per byte, joined, was most of the cost of hashing a key).
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in state.finish() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    package static func hex(of text: String) -> String {
        hex(of: Array(text.utf8))
    }
}

private struct SHA256State {
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    // The state in eight stored words, not an array: no bounds or uniqueness checks per block.
    private var h0: UInt32 = 0x6a09e667, h1: UInt32 = 0xbb67ae85, h2: UInt32 = 0x3c6ef372, h3: UInt32 = 0xa54ff53a
    private var h4: UInt32 = 0x510e527f, h5: UInt32 = 0x9b05688c, h6: UInt32 = 0x1f83d9ab, h7: UInt32 = 0x5be0cd19
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    mutating func absorb(_ bytes: [UInt8]) {
        length &+= UInt64(bytes.count)
        var index = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending += bytes[0..<take]
            index = take
            if pending.count == 64 {
                pending.withUnsafeBufferPointer { compress($0, at: 0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if index + 64 <= bytes.count {
            let start = index
            let blocks = (bytes.count - start) / 64
            bytes.withUnsafeBufferPointer { buffer in
                for block in 0..<blocks { compress(buffer, at: start + block * 64) }
            }
            index = start + blocks * 64
        }
        pending += bytes[index...]
    }

    mutating func finish() -> [UInt8] {
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        tail.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                compress(buffer, at: index)
                index += 64
            }
        }
        return [h0, h1, h2, h3, h4, h5, h6, h7].flatMap { word in
            [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
    }

    /// One 64-byte block at `base`; the message schedule lives on the stack
    /// (a heap array per block was a third of a warm render's time), its first
    /// sixteen words loaded whole (big-endian) rather than byte by byte.
    private mutating func compress(_ block: UnsafeBufferPointer<UInt8>, at base: Int) {
        precondition(base >= 0 && base + 64 <= block.count)
        guard let start = UnsafeRawPointer(block.baseAddress) else { return }
        let bytes = start + base
        var a = h0, b = h1, c = h2, d = h3
        var e = h4, f = h5, g = h6, h = h7
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            for t in 0..<16 {
                schedule[t] = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
            }
            for t in 16..<64 {
                let s0 = rotate(schedule[t - 15], 7) ^ rotate(schedule[t - 15], 18) ^ (schedule[t - 15] >> 3)
                let s1 = rotate(schedule[t - 2], 17) ^ rotate(schedule[t - 2], 19) ^ (schedule[t - 2] >> 10)
                schedule[t] = schedule[t - 16] &+ s0 &+ schedule[t - 7] &+ s1
            }
            Self.roundConstants.withUnsafeBufferPointer { constants in
                for t in 0..<64 {
                    let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                    let choice = (e & f) ^ (~e & g)
                    let temp1 = h &+ sum1 &+ choice &+ constants[t] &+ schedule[t]
                    let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let temp2 = sum0 &+ majority
                    h = g; g = f; f = e; e = d &+ temp1
                    d = c; c = b; b = a; a = temp1 &+ temp2
                }
            }
        }
        h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
        h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
    }

    private func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }
}
