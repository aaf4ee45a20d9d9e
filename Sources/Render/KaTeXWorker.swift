import Foundation

/// One long-lived `node` process running Debian's KaTeX, fed one JSON request
/// per line on stdin and answering one JSON line each on stdout.
///
/// It starts on the first request that misses the cache, so a run whose math
/// is all cached never starts node at all.
final class KaTeXWorker {
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private var buffered: [UInt8] = []
    private var nextID = 0

    struct Response: Decodable {
        var id: Int
        var html: String?
        var error: String?
        var position: Int?
        /// `equation` when this equation ran past its deadline, `note` when the batch's budget was spent.
        var timedOut: String?
    }

    /// One request's answer.
    enum Answer: Equatable {
        /// KaTeX's own answer: the same on every run, so it may be cached.
        case typeset(MathResult)
        /// Stopped by a deadline: depends on the machine, so never cached.
        case outOfTime(TimeLimit)
    }

    enum TimeLimit: Equatable {
        case equation, note
    }

    /// Each equation may take `deadline`; the whole batch `budget`. Both are enforced inside
    /// node (V8 stops the render), so a stopped equation costs no restart.
    struct Deadlines {
        var equation: Duration
        var batch: Duration

        var equationMilliseconds: Int { Self.milliseconds(equation) }
        var batchMilliseconds: Int { Self.milliseconds(batch) }

        static func milliseconds(_ duration: Duration) -> Int {
            max(1, Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000))
        }
    }

    /// `codeCache`: where V8's compiled code for KaTeX is kept between runs (nil: nowhere).
    init(nodePath: String, katexScript: String, codeCache: String? = nil) throws(RenderError) {
        // A worker killed mid-batch (past its deadline, or at its heap cap) closes the pipe the
        // batch is still being written to: that write must fail (the answers are then missing),
        // not end nbrun with SIGPIPE (exit 141, seen on a 2 MB note of math on a loaded machine).
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        // V8's heap is capped: an expansion that outgrows it ends node (and the equation is an error)
        // instead of taking gigabytes before its deadline.
        let arguments = ["--max-old-space-size=\(Self.heapMegabytes)", "-e", Self.program, katexScript] + (codeCache.map { [$0] } ?? [])
        if FileManager.default.isExecutableFile(atPath: Self.launcher) {
            // util-linux's setpriv asks the kernel to kill node when the thread that started it
            // ends (nbrun killed, Ctrl-C), even while node is deep in a render; then it becomes node.
            process.executableURL = URL(fileURLWithPath: Self.launcher)
            process.arguments = ["--pdeathsig", "KILL", "--", nodePath] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: nodePath)
            process.arguments = arguments
        }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RenderError.toolFailed("could not start node at \(nodePath): \(error.localizedDescription)")
        }
        self.process = process
        self.input = stdin.fileHandleForWriting
        self.output = stdout.fileHandleForReading
    }

    deinit {
        // End of input: node keeps its compiled code (a few ms) and exits by itself;
        // one that does not within two seconds is stopped.
        try? input.close()
        let deadline = ContinuousClock.now + .seconds(2)
        while process.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Typesets a batch. Requests are written from another thread while
    /// answers are read here, so neither pipe can fill up and stall the other.
    /// An answer is nil when the worker stopped (or stopped answering) before
    /// giving it; the worker is then killed and `isBroken`.
    func typeset(_ requests: [MathRequest], deadlines: Deadlines) throws(RenderError) -> [Answer?] {
        guard !requests.isEmpty else { return [] }
        let firstID = nextID
        nextID += requests.count
        var payload = Data()
        let encoder = JSONEncoder()
        for (index, request) in requests.enumerated() {
            struct Wire: Encodable {
                var id: Int; var tex: String; var display: Bool; var macros: [String: String]; var trusted: Bool
                var batch: Int; var deadline: Int; var budget: Int
            }
            let wire = Wire(id: firstID + index, tex: request.tex, display: request.display, macros: request.macros, trusted: request.trusted,
                            batch: firstID, deadline: deadlines.equationMilliseconds, budget: deadlines.batchMilliseconds)
            guard let line = try? encoder.encode(wire) else { throw RenderError.toolFailed("could not encode a math request") }
            payload.append(line)
            payload.append(UInt8(ascii: "\n"))
        }
        let input = self.input
        let bytes = payload
        let writer = Thread {
            try? input.write(contentsOf: bytes)
        }
        writer.start()

        var answers = [Answer?](repeating: nil, count: requests.count)
        var remaining = requests.count
        let decoder = JSONDecoder()
        // node stops a render at its deadline by itself; silence well past that means it is stuck
        // outside JavaScript or gone, and it is killed.
        let patience = deadlines.equationMilliseconds + Self.graceMilliseconds
        while remaining > 0 {
            guard let line = readLine(waitingAtMost: patience) else {
                kill()
                return answers
            }
            guard let response = try? decoder.decode(Response.self, from: Data(line)) else { continue }
            let index = response.id - firstID
            guard index >= 0, index < requests.count, answers[index] == nil else { continue }
            if let limit = response.timedOut {
                answers[index] = .outOfTime(limit == "note" ? .note : .equation)
            } else if let html = response.html {
                answers[index] = .typeset(.html(html))
            } else {
                answers[index] = .typeset(.error(message: response.error ?? "unknown KaTeX error", position: response.position))
            }
            remaining -= 1
        }
        return answers
    }

    /// How long past an equation's deadline the worker may stay silent before it is killed.
    static let graceMilliseconds = 3000

    static let launcher = "/usr/bin/setpriv"

    /// node's old-generation heap, in MiB (KaTeX itself needs about 50).
    static let heapMegabytes = 384

    /// How far `buffered` is known to hold no newline.
    private var scanned = 0

    /// Whether the worker was killed or stopped: a new one is needed.
    private(set) var isBroken = false

    /// node's process (setpriv becomes node), for tests that stop it from outside.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Whether node is there to take requests (the kernel ends it with the thread that started it).
    var isRunning: Bool { !isBroken && process.isRunning }

    private func kill() {
        isBroken = true
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    private func readLine(waitingAtMost milliseconds: Int) -> [UInt8]? {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        while true {
            // Only what arrived since the last look is searched: an answer of megabytes comes in
            // many pieces, and searching it all again for each was quadratic.
            if let newline = buffered[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffered[..<newline])
                buffered.removeSubrange(...newline)
                scanned = 0
                return line
            }
            scanned = buffered.count
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var descriptor = pollfd(fd: output.fileDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(Deadlines.milliseconds(left)))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return nil }
            let chunk = output.availableData
            if chunk.isEmpty { return nil }
            buffered.append(contentsOf: chunk)
        }
    }

    /// The worker program. Trust is off except for our own annotations:
    /// in-page `\href{#…}` links (equation references) and `\htmlData` with
    /// `nb-` attributes (check hooks, see `CheckedMath`). KaTeX 0.16.4 hands the
    /// trust function `\htmlData`'s keys already prefixed: `nb-symbol=3`
    /// arrives as `data-nb-symbol` and becomes `data-nb-symbol="3"`.
    static let program = #"""
    const fs = require('fs');
    const path = require('path');
    const vm = require('vm');
    const readline = require('readline');
    // KaTeX is compiled with V8's code cache from nbrun's cache folder when there is
    // one (argv[2]): loading and the first renders skip most parsing and compiling.
    const scriptPath = process.argv[1];
    const codeCachePath = process.argv[2] || '';
    let katex, script, cachedData;
    try {
      if (codeCachePath) { try { cachedData = fs.readFileSync(codeCachePath); } catch (error) {} }
      script = new vm.Script(
        '(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(scriptPath, 'utf8') + '\n})',
        { filename: scriptPath, cachedData });
      const loaded = { exports: {} };
      script.runInThisContext()(loaded.exports, require, loaded, scriptPath, path.dirname(scriptPath));
      katex = loaded.exports;
    } catch (error) {
      script = undefined;
      katex = require(scriptPath);
    }
    const trusted = (context) =>
      (context.command === '\\href' && /^#[A-Za-z0-9_:.-]*$/.test(context.url)) ||
      (context.command === '\\htmlData' &&
        Object.keys(context.attributes || {}).every((key) => /^data-nb-[a-z-]+$/.test(key)));
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    // Renders run through a script with a timeout: V8 stops one that passes its deadline
    // (KaTeX 0.16.4's \\edef and Unicode superscripts can expand for minutes).
    const call = new vm.Script('globalThis.__nbrunRender()');
    const parent = process.ppid;
    let batch = null, batchStart = 0;
    lines.on('line', (line) => {
      // nbrun is gone (killed, Ctrl-C): stop rather than typeset what it left queued.
      if (process.ppid !== parent) process.exit(0);
      let request;
      try { request = JSON.parse(line); } catch (error) { return; }
      if (request.batch !== batch) { batch = request.batch; batchStart = Date.now(); }
      const left = request.budget - (Date.now() - batchStart);
      const timeout = Math.min(request.deadline, left);
      const limit = left <= request.deadline ? 'note' : 'equation';
      let answer;
      if (!(timeout >= 1)) {
        process.stdout.write(JSON.stringify({ id: request.id, timedOut: limit }) + '\n');
        return;
      }
      try {
        globalThis.__nbrunRender = () => katex.renderToString(request.tex, {
          displayMode: request.display,
          throwOnError: true,
          strict: 'ignore',
          trust: request.trusted === true ? true : trusted,
          output: 'htmlAndMathml',
          macros: Object.assign({}, request.macros || {}),
          maxSize: 100,
          maxExpand: 2000,
        });
        const html = call.runInThisContext({ timeout: Math.floor(timeout) });
        answer = { id: request.id, html };
      } catch (error) {
        answer = error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? { id: request.id, timedOut: limit } : {
          id: request.id,
          // Drop KaTeX's prefix and its underlined excerpt: nbrun shows its own.
          error: String((error && error.rawMessage) || (error && error.message) || error)
            .replace(/^KaTeX parse error: /, '')
            .replace(/ at (position \d+|end of input): [\s\S]*$/, ''),
          position: error && typeof error.position === 'number' ? error.position : null,
        };
      }
      process.stdout.write(JSON.stringify(answer) + '\n');
    });
    // At the end, the code V8 compiled for this run's renders is kept for the next
    // (when there was none, or V8 refused it: another node, another KaTeX).
    lines.on('close', () => {
      if (!script || !codeCachePath || (cachedData && !script.cachedDataRejected)) return;
      try {
        const temporary = codeCachePath + '.' + process.pid;
        fs.mkdirSync(path.dirname(codeCachePath), { recursive: true });
        fs.writeFileSync(temporary, script.createCachedData());
        fs.renameSync(temporary, codeCachePath);
      } catch (error) {}
    });
    """#
}
