/* Offline search of the inventory's site (ichinv site): matches the query against the index in
   search-index.js (names in every script and language, other names, places, provinces), ignoring
   case and diacritics; Kazakh letters match their plain Cyrillic neighbours (қ ~ к, ә ~ а, …).
   Results are built with DOM methods and textContent only, so record text stays text. */
(function () {
  "use strict";
  var data = window.ICHINV_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!data || !form || !input || !list || !status) {
    return;
  }
  var lang = document.documentElement.lang;
  var FALLBACK = { en: ["en", "ru", "kk"], kk: ["kk", "ru", "en"], ru: ["ru", "kk", "en"] };
  var LETTERS = { "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ı": "i", "ё": "е", "й": "и" };

  function fold(text) {
    return String(text)
      .toLowerCase()
      .replace(/[әғқңөұүһіıёй]/g, function (c) { return LETTERS[c]; })
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/['’ʼ`]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }

  function values(map) {
    return Object.keys(map || {}).sort().map(function (k) { return map[k]; });
  }

  function pick(names) {
    var order = (FALLBACK[lang] || [lang]).concat(Object.keys(names).sort());
    for (var i = 0; i < order.length; i++) {
      if (names[order[i]]) {
        return { text: names[order[i]], lang: order[i] };
      }
    }
    return null;
  }

  var entries = data.elements.map(function (e) {
    var names = values(e.n).concat(e.o);
    var places = e.l.map(function (p) { return { text: p, folded: fold(p) }; });
    e.p.forEach(function (p) {
      var shown = pick(data.provinces[p] || {});
      places.push({ text: shown ? shown.text : p, folded: fold(values(data.provinces[p]).join(" ")) });
    });
    return { e: e, names: " " + fold(names.join(" ") + " " + e.i) + " ", places: places };
  });

  function find(query) {
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length) {
      return [];
    }
    var whole = fold(query);
    var found = [];
    entries.forEach(function (entry) {
      var rank = 0;
      var place = null;
      for (var i = 0; i < words.length; i++) {
        var word = words[i];
        if (entry.names.indexOf(word) >= 0) {
          continue;
        }
        var hit = entry.places.filter(function (p) { return p.folded.indexOf(word) >= 0; })[0];
        if (!hit) {
          return;
        }
        place = place || hit.text;
        rank = 2;
      }
      if (rank === 0 && entry.names.indexOf(" " + whole) < 0) {
        rank = 1;
      }
      var shown = pick(entry.e.n) || { text: entry.e.i, lang: "" };
      found.push({ rank: rank, entry: entry.e, name: shown, place: place });
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || fold(a.name.text).localeCompare(fold(b.name.text)) || (a.entry.i < b.entry.i ? -1 : 1);
    });
    return found;
  }

  function say(template, count) {
    return (template || "").replace("{count}", String(count));
  }

  function show(query) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    if (!fold(query)) {
      status.textContent = form.dataset.empty || "";
      return;
    }
    var found = find(query);
    status.textContent = found.length ? say(form.dataset.found, found.length) : say(form.dataset.none, 0);
    found.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "elements/" + hit.entry.i + ".html";
      link.textContent = hit.name.text;
      if (hit.name.lang && hit.name.lang !== lang) {
        link.lang = hit.name.lang;
      }
      item.appendChild(link);
      var id = document.createElement("span");
      id.className = "id";
      id.textContent = " " + hit.entry.i;
      item.appendChild(id);
      if (hit.entry.s === "retired" || hit.entry.s === "merged") {
        var state = document.createElement("span");
        state.className = "status";
        state.textContent = " " + (form.dataset[hit.entry.s] || hit.entry.s);
        item.appendChild(state);
      }
      if (hit.place) {
        var where = document.createElement("span");
        where.className = "meta";
        where.textContent = " · " + (form.dataset.place || "") + " " + hit.place;
        item.appendChild(where);
      }
      list.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try {
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.toString());
    } catch (error) {
      /* file:// pages may refuse a new address; the results are shown all the same */
    }
  });
  input.addEventListener("input", function () { show(input.value); });
  var start = new URLSearchParams(window.location.search).get("q");
  if (start) {
    input.value = start;
    show(start);
  }
}());
