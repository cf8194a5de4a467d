// Runs in <head>, before the page paints: puts the light/dark choice on <html> as the class
// "ck-dark" (the dark palette in /theme.css). The saved choice wins; with none, the system's.
// Blazor's enhanced navigation rewrites <html>'s attributes, so the class is put back whenever
// something takes it off (a MutationObserver; applying an unchanged class changes nothing).
(function () {
  // The choice made in this page wins over storage, which a private window may refuse.
  var chosen = null;
  function saved() {
    if (chosen) { return chosen; }
    try { return window.localStorage.getItem("creatorkeys-theme"); } catch { return null; }
  }
  function apply() {
    var choice = saved();
    var dark = choice === "dark" ||
      (choice !== "light" && !!window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    if (document.documentElement.classList.contains("ck-dark") !== dark) {
      document.documentElement.classList.toggle("ck-dark", dark);
    }
  }
  window.creatorKeysTheme = {
    choose: function (value) {
      chosen = value;
      try { window.localStorage.setItem("creatorkeys-theme", value); } catch { /* private mode: this page keeps it */ }
      apply();
    }
  };
  apply();
  // The browser's time zone, for the dates the server prints (read from this cookie on the next request).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Over HTTPS the server reads only __Host- cookies (Network/HostPrefixedCookies.cs).
    var https = location.protocol === "https:";
    var cookie = (https ? "__Host-" : "") + "ck-tz=" + encodeURIComponent(zone || "");
    if (zone && document.cookie.split("; ").indexOf(cookie) === -1) {
      document.cookie = cookie + "; path=/; max-age=31536000; SameSite=Lax" + (https ? "; Secure" : "");
    }
  } catch { /* no Intl or no cookies: dates show in UTC and say so */ }
  if (window.MutationObserver) {
    new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  }
})();
