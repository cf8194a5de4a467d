// Runs in <head>, before the page paints: puts the light/dark choice on <html> as the class
// "ck-dark" (the dark palette in /theme.css). The saved choice wins; with none, the system's.
// Blazor's enhanced navigation may rewrite <html>, so the class is put back after each one.
(function () {
  function saved() {
    try { return window.localStorage.getItem("creatorkeys-theme"); } catch { return null; }
  }
  function apply() {
    var choice = saved();
    var dark = choice === "dark" ||
      (choice !== "light" && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle("ck-dark", dark);
    return dark;
  }
  window.creatorKeysTheme = { apply: apply };
  apply();
  document.addEventListener("DOMContentLoaded", function () {
    if (window.Blazor && window.Blazor.addEventListener) {
      window.Blazor.addEventListener("enhancedload", apply);
    }
  });
})();
