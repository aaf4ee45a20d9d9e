// nbrun search: loads the prebuilt index on first use and searches titles,
// headings, tags and prose in the browser, from a server or from file://. Nothing else on the site needs script.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var root = form.getAttribute("data-root") || "";
  var index = null, loading = null;

  // The index is a script that sets window.nbrunSearchIndex: a page opened from file://
  // may load a script, where fetch() of a JSON file is refused.
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = form.getAttribute("data-index");
        script.onload = function () { index = window.nbrunSearchIndex; resolve(index); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}_]+/u).filter(function (w) { return w.length > 1; });
  }
  function search(query) {
    var terms = words(query), keys = Object.keys(index.terms), scores = {};
    if (!terms.length) return [];
    var matchedAll = null;
    terms.forEach(function (term, i) {
      var last = i === terms.length - 1, hits = {};
      keys.forEach(function (key) {
        if (key === term || (last && key.lastIndexOf(term, 0) === 0)) {
          index.terms[key].forEach(function (doc) { hits[doc] = (hits[doc] || 0) + (key === term ? 2 : 1); });
        }
      });
      Object.keys(hits).forEach(function (doc) {
        var d = index.docs[doc], bonus = words(d[0]).indexOf(term) >= 0 ? 6 : (words(d[2]).indexOf(term) >= 0 ? 3 : 0);
        scores[doc] = (scores[doc] || 0) + hits[doc] + bonus;
      });
      var found = Object.keys(hits);
      matchedAll = matchedAll === null ? found : matchedAll.filter(function (doc) { return hits[doc]; });
    });
    return (matchedAll || []).sort(function (a, b) { return scores[b] - scores[a] || a - b; }).slice(0, 12);
  }
  function show(results) {
    list.textContent = "";
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "empty";
      none.textContent = "No notes match.";
      list.appendChild(none);
    }
    results.forEach(function (doc) {
      var d = index.docs[doc], item = document.createElement("li"), link = document.createElement("a");
      // A page URL is relative; "./" keeps a name like "javascript:x.html" from reading as a scheme.
      link.href = (root || "./") + d[1];
      link.textContent = d[0];
      if (d[2]) {
        var where = document.createElement("span");
        where.className = "where";
        where.textContent = d[2].split("\n").slice(0, 3).join(" · ");
        link.appendChild(where);
      }
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    var query = input.value;
    if (!query.trim()) { list.hidden = true; return; }
    load().then(function () { if (input.value === query) show(search(query)); });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { list.hidden = true; input.blur(); }
    if (event.key === "Enter") { var first = list.querySelector("a"); if (first) location.href = first.href; }
  });
  document.addEventListener("click", function (event) { if (!form.contains(event.target)) list.hidden = true; });
})();
