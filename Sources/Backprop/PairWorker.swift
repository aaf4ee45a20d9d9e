import CFutex
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work that a ``PairWorker`` splits in two: the calling thread runs half 0, the worker
/// half 1 (or the caller both, when the worker has not picked its half up in time).
/// What the work is lives in the client's own fields, set before ``PairWorker/run()``:
/// nothing is captured or boxed per job.
protocol PairJob: AnyObject {
    /// Runs half 0 or half 1 of the current job; the two halves must not write the same memory.
    func runHalf(_ half: Int)
}

/// One long-lived thread that runs the second half of its client's jobs, so that a
/// product can be split between the calling thread and this one, each half a
/// one-thread OpenBLAS call. Used by ``NetworkTrainer`` in place of OpenBLAS's own
/// threads, whose threaded driver mallocs a job table on every large product.
///
/// The handoff spins for ``spinLimit`` with a pause hint, then sleeps on a futex: cheap
/// between the jobs of a step on a quiet machine, and no core held while the other
/// thread is descheduled on a loaded one. The caller also takes the worker's half back
/// if the worker has not started it by the time the caller's own half is done, so a
/// job never waits for a thread that is not running; after that the worker spins only
/// ``shortSpinLimit`` until it claims a half in time again. The thread stops in `deinit`.
///
/// ```swift
/// let worker = PairWorker(client: trainer)   // trainer: PairJob
/// worker.run()                               // trainer.runHalf(0) here, runHalf(1) there
/// ```
///
/// `@unchecked Sendable`: the client's fields are handed over by the sequentially
/// consistent stores and loads of the ticket and done words (the job's fields are
/// written before the ticket is posted and read after it is claimed; the results are
/// read after `done` says so), and only the owner calls ``run()`` — never two threads
/// at once.
final class PairWorker: @unchecked Sendable {
    /// How long either side spins before it sleeps, in ns: about the gaps between the
    /// split products of an MLP step (20–40 µs), far shorter than a time slice. On a
    /// quiet machine 50 µs gave p25 1.09–1.15 ms for the f64 step, 2 µs 1.19–1.20 ms
    /// (the worker slept between products and had to be woken); 200 µs was no faster
    /// quietly and 10–17 % slower next to one busy process.
    static let spinLimit = 50_000
    /// How long the worker spins, in ns, after the caller had to take a half back.
    static let shortSpinLimit = 2_000

    /// The shared words, each on its own cache line; futex words must not move.
    private let words: UnsafeMutablePointer<UInt32>
    private let context: UnsafeMutablePointer<Context>
    private var thread = pthread_t()
    private var generation: UInt32 = 0
    /// The number of jobs run so far.
    private(set) var jobs = 0
    /// The kernel's id of the worker thread (for tests: it is gone once the worker is freed).
    private(set) var threadID: Int32 = 0

    /// What the thread needs; it holds no reference to the `PairWorker` itself, so
    /// freeing the worker is what stops it. The client is unowned: it owns the worker
    /// (a trainer keeps its worker), so it outlives the thread.
    struct Context {
        let words: UnsafeMutablePointer<UInt32>
        unowned(unsafe) let client: any PairJob
    }

    // Word offsets (16 words = 64 bytes apart).
    /// The generation of the job whose half 1 is open, or 0.
    private static let ticket = 0
    /// The generation of the last job whose half 1 the worker finished.
    private static let done = 16
    /// 1 while the worker sleeps (or is about to) waiting for a ticket.
    private static let workerSleeping = 32
    /// 1 while the caller sleeps (or is about to) waiting for `done`.
    private static let callerSleeping = 48
    /// 1 once the worker is to exit; set before the last ticket is posted.
    private static let quitting = 49
    /// The worker thread's kernel id, published at start.
    private static let startedID = 50

    init(client: any PairJob) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64 * 4, alignment: 64)
        words = raw.initializeMemory(as: UInt32.self, repeating: 0, count: 64)
        context = .allocate(capacity: 1)
        context.initialize(to: Context(words: words, client: client))
        let started = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            PairWorker.serve(argument.assumingMemoryBound(to: Context.self))
            return nil
        }, context)
        precondition(started == 0, "pthread_create failed: \(started)")
        while nbrun_load(words + Self.startedID) == 0 { nbrun_wait(words + Self.startedID, 0) }
        threadID = Int32(bitPattern: nbrun_load(words + Self.startedID))
    }

    deinit {
        nbrun_store(words + Self.quitting, 1)
        post()
        pthread_join(thread, nil)
        context.deinitialize(count: 1)
        context.deallocate()
        words.deinitialize(count: 64)
        UnsafeMutableRawPointer(words).deallocate()
    }

    /// Runs the client's current job: half 0 on this thread, half 1 on the worker (or
    /// here too, if the worker has not claimed it when half 0 is done). Returns when
    /// both halves are done. Allocates nothing.
    func run() {
        jobs += 1
        let g = post()
        context.pointee.client.runHalf(0)
        if nbrun_compare_exchange(words + Self.ticket, g, 0) != 0 {
            context.pointee.client.runHalf(1)   // taken back: the worker is not running
            return
        }
        Self.waitFor(words + Self.done, equal: g, sleeping: words + Self.callerSleeping)
    }

    /// Opens half 1 of a new job to the worker and wakes it if it sleeps.
    @discardableResult
    private func post() -> UInt32 {
        generation = generation == UInt32.max ? 1 : generation + 1
        nbrun_store(words + Self.ticket, generation)
        if nbrun_load(words + Self.workerSleeping) != 0 { nbrun_wake(words + Self.ticket) }
        return generation
    }

    /// Waits until `*word == value` (or, with `value` 0, until it is not 0); spins for
    /// ``spinLimit``, then sleeps with `*sleeping` set so the other side wakes it.
    /// Returns the word's last value.
    @discardableResult
    private static func waitFor(_ word: UnsafeMutablePointer<UInt32>, equal value: UInt32,
                                sleeping: UnsafeMutablePointer<UInt32>, spinning limit: Int = spinLimit) -> UInt32 {
        @inline(__always) func ready(_ seen: UInt32) -> Bool { value == 0 ? seen != 0 : seen == value }
        var seen = nbrun_load(word)
        if ready(seen) { return seen }
        let start = nanoseconds()
        var spins = 0
        while !ready(seen) {
            nbrun_pause()
            seen = nbrun_load(word)
            spins += 1
            if spins & 31 == 0, nanoseconds() - start > limit { break }
        }
        while !ready(seen) {
            // Dekker with the poster: it stores the word then loads `sleeping`; we store
            // `sleeping` then load the word. One of the two sees the other's store, and
            // the futex sleeps only while the word still holds what we saw.
            nbrun_store(sleeping, 1)
            seen = nbrun_load(word)
            if !ready(seen) {
                nbrun_wait(word, seen)
                seen = nbrun_load(word)
            }
            nbrun_store(sleeping, 0)
        }
        return seen
    }

    /// The worker thread: claim each posted half 1, run it, say so; exit when told.
    private static func serve(_ context: UnsafeMutablePointer<Context>) {
        let words = context.pointee.words
        nbrun_store(words + startedID, UInt32(bitPattern: max(1, nbrun_thread_id())))
        nbrun_wake(words + startedID)
        var limit = spinLimit
        while true {
            let g = waitFor(words + ticket, equal: 0, sleeping: words + workerSleeping, spinning: limit)
            guard nbrun_compare_exchange(words + ticket, g, 0) != 0 else {
                // Taken back: this thread was not running when the caller finished its half
                // (a loaded machine). Spinning would only take time from the caller, so
                // sleep almost at once until a half is claimed in time again.
                limit = shortSpinLimit
                continue
            }
            limit = spinLimit
            if nbrun_load(words + quitting) != 0 { return }
            context.pointee.client.runHalf(1)
            nbrun_store(words + done, g)
            if nbrun_load(words + callerSleeping) != 0 { nbrun_wake(words + done) }
        }
    }

    private static func nanoseconds() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t.tv_sec * 1_000_000_000 + t.tv_nsec
    }
}
