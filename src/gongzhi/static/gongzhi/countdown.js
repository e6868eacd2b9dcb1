// Keeps the "time left" of notices current without reloading the page.
(function () {
  var zh = (document.documentElement.lang || "zh-hans").indexOf("zh") === 0;
  function render(el) {
    var until = Date.parse(el.getAttribute("data-until"));
    if (isNaN(until)) return;
    if (!el.hasAttribute("data-tail")) {
      var text = el.textContent;
      var at = text.indexOf(" · ");
      el.setAttribute("data-tail", at >= 0 ? text.slice(at) : "");
    }
    var left = Math.max(0, until - Date.now());
    var days = Math.floor(left / 86400000);
    var hours = Math.floor((left % 86400000) / 3600000);
    var minutes = Math.floor((left % 3600000) / 60000);
    var label = zh
      ? "还剩 " + days + " 天 " + hours + " 小时 " + minutes + " 分"
      : days + " d " + hours + " h " + minutes + " min left";
    if (left === 0) label = zh ? "公示期已结束" : "the display period has ended";
    el.textContent = label + el.getAttribute("data-tail");
  }
  function tick() {
    document.querySelectorAll(".countdown[data-until]").forEach(render);
  }
  tick();
  setInterval(tick, 30000);
})();
