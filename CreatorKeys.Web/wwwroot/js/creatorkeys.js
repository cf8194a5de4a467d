// Small browser helpers for CreatorKeys. Nothing secret is ever stored in the browser:
// the only thing kept in localStorage is the light/dark theme choice.
window.creatorKeys = {
  // Whether the dark palette is on (js/theme.js chose it before the page painted).
  isDarkTheme: function () {
    return document.documentElement.classList.contains("ck-dark");
  },
  // MudBlazor's "md" breakpoint: from here the menu sits beside the page instead of over it.
  isWideScreen: function () {
    return window.matchMedia("(min-width: 960px)").matches;
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

// Arrow keys, Home and End move between the tabs of a tab list (the ARIA tabs pattern) and open the tab
// they land on; Tab moves out of the list, as only the open tab is in the tab order.
document.addEventListener("keydown", function (event) {
  // Alt+Left is the browser's Back, Ctrl/Cmd+arrows the system's: only plain keys move between tabs.
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return;
  }
  const tab = event.target instanceof Element ? event.target.closest('.ck-tablist > [role="tab"]') : null;
  const list = tab ? tab.parentElement : null;
  if (!list) {
    return;
  }
  const tabs = Array.from(list.querySelectorAll('[role="tab"]'));
  const at = tabs.indexOf(tab);
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (next === undefined) {
    return;
  }
  event.preventDefault();
  const target = tabs[(next + tabs.length) % tabs.length];
  target.focus();
  target.click();
});

// Escape closes the menu while it lies over the page (a phone or a narrow window). A tap on the scrim
// behind the menu is how the app closes it, so Escape taps that, then puts the focus back on the menu
// button (the links it was on are out of reach once the menu closes). A menu beside the page stays.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape" || event.defaultPrevented) {
    return;
  }
  const scrim = document.querySelector(".mud-drawer-overlay--open");
  if (!scrim || getComputedStyle(scrim).display === "none") {
    return;
  }
  event.preventDefault();
  scrim.click();
  const button = document.querySelector('[aria-controls="ck-navigation"]');
  if (button) {
    button.focus();
  }
});
