// The admin's translation tabs: modeltranslation opens each field on the tab of the page's
// language, but its language menu starts on the first language ("ar"). Make the menu name the
// tab that is open. Django's media merge may load this file before modeltranslation's, so it
// waits for the page's load event (after every ready handler has built the tabs).
(function () {
  "use strict";
  function agree() {
    var menu = document.getElementById("modeltranslation-main-switch");
    var nav = document.querySelector(".ui-tabs-nav");
    var open = nav && nav.querySelector("li.ui-tabs-active");
    if (!menu || !open) {
      return;
    }
    menu.value = String(Array.prototype.indexOf.call(nav.children, open));
  }
  window.addEventListener("load", function () {
    window.setTimeout(agree, 0);
  });
})();
