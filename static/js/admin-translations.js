// The admin's translation tabs: modeltranslation opens each field on the tab of the page's
// language, but its language menu starts on the first language ("ar"). Make the menu name the
// tab that is open. Runs after modeltranslation's own ready handler (this file comes after it).
(function () {
  "use strict";
  var jQuery = window.jQuery || (window.django && window.django.jQuery);
  if (!jQuery) {
    return;
  }
  jQuery(function ($) {
    var menu = $("#modeltranslation-main-switch");
    var open = $(".ui-tabs-nav").first().find("li.ui-tabs-active");
    if (menu.length && open.length) {
      menu.val(String(open.index()));
    }
  });
})();
