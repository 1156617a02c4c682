/**
 * The board's one script, served by specflowd as a file (the CSP allows no inline script). It
 * listens for the daemon's server-sent events and, when the board's version differs from the
 * one shown (on connecting, and after each change), fetches the page again and swaps its <main> in place: no reload, no polling. When the daemon stops (or cannot be
 * reached) the page says so. Focus stays on the element that had it, by id.
 */
export const LIVE_SCRIPT = `'use strict';
(function () {
  var self = document.currentScript;
  var live = document.getElementById('live');
  var say = function (text, stopped) {
    if (!live) return;
    live.textContent = text;
    live.className = stopped ? 'stopped' : '';
  };
  if (!self || !window.EventSource) return;
  var events = new EventSource(new URL('events', self.src).href);
  var busy = false, again = false;
  var shown = function () { var m = document.querySelector('main'); return m && m.getAttribute('data-version'); };
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var next = doc.querySelector('main'), main = document.querySelector('main');
        if (!next || !main) return;
        var focused = document.activeElement && document.activeElement.id;
        main.replaceWith(document.adoptNode(next));
        document.title = doc.title;
        if (focused) { var el = document.getElementById(focused); if (el) el.focus(); }
      })
      .catch(function () { say('could not refresh; reload the page', true); })
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  // Sent on connecting and after every change: the version of the board the daemon would serve now.
  events.addEventListener('change', function (e) { if (e.data !== shown()) refresh(); });
  events.addEventListener('open', function () { say('live: updates as specflowd sees changes', false); });
  events.addEventListener('stopped', function () {
    events.close();
    say('specflowd stopped: this board no longer updates; start it again and open the new address (specflow board)', true);
  });
  events.addEventListener('error', function () {
    if (events.readyState === EventSource.CLOSED) say('specflowd stopped: this board no longer updates; start it again and open the new address (specflow board)', true);
    else say('lost contact with specflowd; retrying…', true);
  });
})();
`;
