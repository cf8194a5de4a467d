// Small browser helpers for CreatorKeys. Nothing secret is ever stored in the browser:
// the only thing kept in localStorage is the light/dark theme choice.
window.creatorKeys = {
  // Whether the dark palette is on (js/theme.js chose it before the page painted).
  isDarkTheme: function () {
    return document.documentElement.classList.contains("ck-dark");
  },
  // Saves the choice and applies it (js/theme.js keeps it on <html>).
  setTheme: function (value) {
    window.creatorKeysTheme.choose(value);
  },
  copyText: async function (text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
  downloadStream: async function (fileName, contentType, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    window.creatorKeys.saveBlob(fileName, new Blob([buffer], { type: contentType }));
  },
  downloadText: function (fileName, text) {
    window.creatorKeys.saveBlob(fileName, new Blob([text], { type: "text/plain;charset=utf-8" }));
  },
  saveBlob: function (fileName, blob) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
};
