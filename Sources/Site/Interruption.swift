import Foundation

/// What to undo when nbrun is stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP: the
/// staging folder of a build under way, the temporary site of `nbrun serve`. The
/// registered actions run once, then the process ends by the same signal with its
/// default action, so its parent sees the conventional status (a shell prints 130
/// for Ctrl-C, 143 for SIGTERM) and a script or CI stops as it would without nbrun's
/// handler.
///
/// ```swift
/// let token = Interruption.onSignal { try? FileManager.default.removeItem(atPath: folder) }
/// …
/// Interruption.cancel(token)   // done: nothing left to undo
/// ```
package enum Interruption {
    package struct Token: Sendable, Hashable {
        fileprivate let number: Int
    }

    /// Registers `action` to run (on a background thread) when the process is interrupted.
    package static func onSignal(_ action: @escaping @Sendable () -> Void) -> Token {
        registry.installHandlers()
        return registry.add(action)
    }

    package static func cancel(_ token: Token) {
        registry.remove(token)
    }

    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var actions: [Int: @Sendable () -> Void] = [:]
        private var next = 0
        private var sources: [any DispatchSourceSignal] = []

        func add(_ action: @escaping @Sendable () -> Void) -> Token {
            lock.withLock {
                next += 1
                actions[next] = action
                return Token(number: next)
            }
        }

        func remove(_ token: Token) {
            _ = lock.withLock { actions.removeValue(forKey: token.number) }
        }

        func installHandlers() {
            lock.withLock {
                guard sources.isEmpty else { return }
                for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                    // A dispatch source runs Swift code on a thread of its own, where a C signal
                    // handler could call almost nothing; the signal itself is then ignored.
                    signal(signalNumber, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                    source.setEventHandler { [self] in interrupted(by: signalNumber) }
                    source.resume()
                    sources.append(source)
                }
            }
        }

        private func interrupted(by signalNumber: Int32) {
            // Last registered first, as `defer` runs: a build's staging is closed before the
            // temporary site holding it is removed.
            let pending = lock.withLock {
                defer { actions.removeAll() }
                return actions.sorted { $0.key > $1.key }.map(\.value)
            }
            for action in pending { action() }
            // Dispatch receives signals with them blocked in every thread: this one unblocks it for
            // itself and raises it, now with its default action, which ends the process.
            signal(signalNumber, SIG_DFL)
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, signalNumber)
            pthread_sigmask(SIG_UNBLOCK, &only, nil)
            raise(signalNumber)
            _exit(128 + signalNumber)
        }
    }
}
