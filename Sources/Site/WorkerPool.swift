import Foundation

/// Runs `count` jobs on up to `jobs` threads, each thread with its own worker
/// state (a page renderer with its own KaTeX process), and returns the
/// results in job order whatever order they finished in.
///
/// ```swift
/// let squares = WorkerPool.run(count: 4, jobs: 2, makeWorker: { 0 }) { _, index in index * index }
/// // [.success(0), .success(1), .success(4), .success(9)]
/// ```
enum WorkerPool {
    static func run<Worker, Output: Sendable>(
        count: Int, jobs: Int,
        makeWorker: @Sendable () throws -> Worker,
        body: @Sendable (inout Worker, Int) throws -> Output
    ) -> [Result<Output, any Error>] {
        guard count > 0 else { return [] }
        let results = ResultSlots<Output>(count: count)
        let threads = max(1, min(jobs, count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var worker: Worker
            do {
                worker = try makeWorker()
            } catch {
                while let index = results.claim() { results.set(index, .failure(error)) }
                return
            }
            while let index = results.claim() {
                do {
                    results.set(index, .success(try body(&worker, index)))
                } catch {
                    results.set(index, .failure(error))
                }
            }
        }
        return results.all()
    }
}

/// The shared job counter and result slots, behind a lock.
private final class ResultSlots<Output: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result<Output, any Error>?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func set(_ index: Int, _ result: Result<Output, any Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    func all() -> [Result<Output, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? .failure(SiteError.render("a page was not rendered")) }
    }
}
