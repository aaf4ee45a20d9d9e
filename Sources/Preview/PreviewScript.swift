/// The script `nbrun serve` adds to every HTML page it serves (never written
/// into the site): it waits for the next build and reloads the page, and shows
/// the last build's problems as an overlay, each with `file:line:col`.
enum PreviewScript {
    static let source = #"""
    (function () {
      "use strict";
      var me = document.currentScript;
      var generation = Number(me && me.getAttribute("data-generation")) || 0;
      function overlay(status) {
        var old = document.getElementById("nbrun-overlay");
        if (old) old.remove();
        var problems = (status.problems || []).filter(function (p) { return p.severity === "error"; });
        if (status.failure) problems.unshift({ where: "nbrun", severity: "error", message: status.failure });
        if (!problems.length) return;
        var box = document.createElement("div");
        box.id = "nbrun-overlay";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:45vh;overflow:auto;z-index:99999;" +
          "background:#2b1212;color:#ffd7d2;font:14px/1.5 ui-monospace,Menlo,monospace;padding:0.8rem 1rem;" +
          "border:2px solid #ff6b5e;border-radius:8px;box-shadow:0 8px 30px rgba(0,0,0,.35)";
        var close = document.createElement("button");
        close.textContent = "×";
        close.setAttribute("aria-label", "Close");
        close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
        close.onclick = function () { box.remove(); };
        box.appendChild(close);
        var title = document.createElement("strong");
        title.textContent = problems.length + (problems.length === 1 ? " problem" : " problems") + " in the last build";
        box.appendChild(title);
        problems.forEach(function (p) {
          var line = document.createElement("div");
          line.className = "nbrun-problem";
          line.textContent = p.where + ": " + p.severity + ": " + p.message;
          box.appendChild(line);
        });
        document.body.appendChild(box);
      }
      function wait() {
        fetch("/__nbrun/wait?since=" + generation, { cache: "no-store" })
          .then(function (response) { return response.json(); })
          .then(function (status) {
            if (status.generation > generation) { location.reload(); return; }
            overlay(status);
            wait();
          })
          .catch(function () { setTimeout(wait, 1000); });
      }
      fetch("/__nbrun/wait?since=-1", { cache: "no-store" }).then(function (r) { return r.json(); })
        .then(function (status) { overlay(status); if (status.generation > generation) location.reload(); else wait(); })
        .catch(function () { setTimeout(wait, 1000); });
    })();
    """#
}
