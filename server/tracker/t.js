/* Rastro tracker: <script src="https://RASTRO/t.js" data-key="INGEST_KEY" defer></script>. No dependencies. */
(function (w, d) {
  "use strict";
  if (w.rastro && w.rastro.v) return;
  var me = d.currentScript, key = me && me.getAttribute("data-key");
  if (!key) return;
  var endpoint = new URL(me.src).origin + "/collect?key=" + encodeURIComponent(key);
  var variant = me.getAttribute("data-variant");
  var NAMES = { utm_source: "utmSource", utm_medium: "utmMedium", utm_campaign: "utmCampaign",
    utm_term: "utmTerm", utm_content: "utmContent", gclid: "gclid", gbraid: "gbraid", wbraid: "wbraid",
    fbclid: "fbclid", ttclid: "ttclid", li_fat_id: "liFatId", msclkid: "msclkid" };
  var memory = {};
  function get(k) { try { return localStorage.getItem("rastro_" + k); } catch (e) { return memory[k]; } }
  function put(k, v) { try { localStorage.setItem("rastro_" + k, v); } catch (e) { memory[k] = v; } }
  function uid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "r" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  var visitor = get("vid");
  if (!visitor) { visitor = uid(); put("vid", visitor); }

  function touch() {
    var q = new URLSearchParams(location.search), t = {}, any = false;
    for (var p in NAMES) { var v = q.get(p); if (v) { t[NAMES[p]] = v; any = true; } }
    return any ? t : null;
  }
  var first = touch();
  if (first && !get("ft")) { first.url = location.href; first.at = new Date().toISOString(); put("ft", JSON.stringify(first)); }

  // Sends in order (a lead must not overtake its visit); keepalive lets a send outlive the page.
  var chain = Promise.resolve();
  function post(body) {
    body.url = body.url || location.href;
    body.visitorId = visitor;
    var data = JSON.stringify(body);
    chain = chain.then(function () {
      return fetch(endpoint, { method: "POST", body: data, keepalive: true, credentials: "omit",
        headers: { "Content-Type": "text/plain" } }).catch(function () {});
    });
    return chain;
  }
  function beacon(body) {
    body.url = location.href; body.visitorId = visitor;
    if (!(navigator.sendBeacon && navigator.sendBeacon(endpoint, JSON.stringify(body)))) post(body);
  }

  var path;
  function visit() {
    if (location.pathname === path) return;
    path = location.pathname;
    var body = touch() || {};
    body.type = "visit";
    if (variant) body.pageVariant = variant;
    post(body);
  }

  var events = [], timer;
  function flush(unloading) {
    clearTimeout(timer); timer = null;
    if (!events.length) return;
    var body = { type: "events", events: events.splice(0, 100) };
    unloading ? beacon(body) : post(body);
    if (events.length) flush(unloading);
  }
  function track(type, props) {
    var e = { type: String(type) }, data = {}, n = 0;
    for (var k in props || {}) {
      if (/^(category|action|label|elementId|elementClass)$/.test(k)) e[k] = String(props[k]);
      else { data[k] = props[k]; n++; }
    }
    if (n) e.data = data;
    events.push(e);
    if (events.length >= 100) flush(); else if (!timer) timer = setTimeout(flush, 500);
  }

  function fields(form) {
    var out = {};
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i], n = (el.name || el.id || "").toLowerCase(), v = el.value;
      if (el.type === "checkbox") { if (/consent|lgpd|aceit/.test(n)) out.adConsent = el.checked; continue; }
      if (!v) continue;
      if (el.type === "email" || /e-?mail/.test(n)) out.email = v;
      else if (el.type === "tel" || /phone|tel|fone|celular|whats/.test(n)) out.phone = v;
      else if (/compan|empresa/.test(n)) out.company = v;
      else if (/^(name|nome|full_?name|nome_?completo)$/.test(n)) out.name = v;
    }
    return out;
  }
  function lead(formOrFields) {
    if (formOrFields && formOrFields.tagName === "FORM") {
      var form = formOrFields, idem = uid();
      form.addEventListener("submit", function () {
        var body = fields(form); body.type = "lead"; body.idempotencyKey = idem;
        flush(); post(body);
      });
      return;
    }
    var body = {}, f = formOrFields || {};
    for (var k in f) body[k] = f[k];
    body.type = "lead";
    flush();
    return post(body);
  }

  ["pushState", "replaceState"].forEach(function (m) {
    var orig = history[m];
    history[m] = function () { var r = orig.apply(this, arguments); visit(); return r; };
  });
  w.addEventListener("popstate", visit);
  w.addEventListener("pagehide", function () { flush(true); });
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") flush(true); });

  w.rastro = { v: 1, track: track, lead: lead, visitorId: function () { return visitor; },
    firstTouch: function () { return JSON.parse(get("ft") || "null"); } };
  visit();
})(window, document);
