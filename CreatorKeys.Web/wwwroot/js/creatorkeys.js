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

// A row's "⋯" menu (the ARIA menu-button pattern, VaultKeyTable.razor): the button opens the list below it
// (click, Enter or Space: the first item takes the focus; Down and Up arrows open it on the first or last item);
// inside, the arrows, Home and End move, Enter or Space presses the item (the browser's own button click, which the
// server handles), Escape closes the list and puts the focus back on "⋯", Tab closes it and moves on. A click
// elsewhere, a scroll or a resize closes it. The list is placed under its button with fixed coordinates, so a
// table that scrolls sideways does not cut it off.
(function () {
  function listOf(button) {
    const list = button.nextElementSibling;
    return list && list.getAttribute("role") === "menu" ? list : null;
  }
  function itemsOf(list) {
    return Array.from(list.querySelectorAll('[role="menuitem"]')).filter(function (item) { return !item.disabled; });
  }
  function close(button, giveFocusBack) {
    const list = listOf(button);
    if (list) {
      list.hidden = true;
    }
    button.setAttribute("aria-expanded", "false");
    if (giveFocusBack) {
      button.focus();
    }
  }
  function closeAll(except) {
    document.querySelectorAll('.ck-menu-button[aria-expanded="true"]').forEach(function (button) {
      if (button !== except) {
        close(button, false);
      }
    });
  }
  function open(button, focusLast) {
    const list = listOf(button);
    if (!list) {
      return;
    }
    closeAll(button);
    list.hidden = false;
    button.setAttribute("aria-expanded", "true");
    const items = itemsOf(list);
    items.forEach(function (item) { item.tabIndex = -1; });
    const place = button.getBoundingClientRect();
    const width = list.offsetWidth;
    const height = list.offsetHeight;
    const left = Math.max(8, Math.min(place.right - width, window.innerWidth - width - 8));
    const below = place.bottom + 4;
    const top = below + height > window.innerHeight - 8 && place.top - height - 4 > 8 ? place.top - height - 4 : below;
    list.style.left = left + "px";
    list.style.top = top + "px";
    if (items.length > 0) {
      (focusLast ? items[items.length - 1] : items[0]).focus({ preventScroll: true });
    }
  }
  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    const button = target ? target.closest(".ck-menu-button") : null;
    if (button) {
      if (button.getAttribute("aria-expanded") === "true") {
        close(button, true);
      } else {
        open(button, false);
      }
      return;
    }
    const item = target ? target.closest('.ck-menu-list [role="menuitem"]') : null;
    if (item) {
      // The server opens what the item asks for (a dialog takes the focus); the list just closes.
      const owner = item.closest(".ck-menu-list").previousElementSibling;
      if (owner) {
        close(owner, false);
      }
      return;
    }
    closeAll(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    const button = target ? target.closest(".ck-menu-button") : null;
    if (button && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      open(button, event.key === "ArrowUp");
      return;
    }
    const list = target ? target.closest('.ck-menu-list[role="menu"]') : null;
    if (!list || list.hidden) {
      return;
    }
    const owner = list.previousElementSibling;
    if (event.key === "Escape") {
      event.preventDefault();
      close(owner, true);
      return;
    }
    if (event.key === "Tab") {
      close(owner, false);
      owner.focus();
      return;
    }
    const items = itemsOf(list);
    const at = items.indexOf(target.closest('[role="menuitem"]'));
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next === undefined || items.length === 0) {
      return;
    }
    event.preventDefault();
    items[(next + items.length) % items.length].focus({ preventScroll: true });
  });
  function closeOnMove(event) {
    // Scrolling inside an open list (a very short window) keeps it; any other scroll or a resize closes it.
    if (event.target instanceof Element && event.target.closest(".ck-menu-list")) {
      return;
    }
    closeAll(null);
  }
  window.addEventListener("scroll", closeOnMove, true);
  window.addEventListener("resize", closeOnMove);
})();
