// lingpao staff page: a little progressive enhancement. Every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // The period selector switches on change.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });

    // "Back" links go back when there is somewhere to go.
    document.querySelectorAll("a[data-back]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (history.length > 1) { e.preventDefault(); history.back(); }
      });
    });

    // Uploads over the limit are refused before they are sent.
    document.querySelectorAll("form[data-max-bytes]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        var input = form.querySelector("input[type=file]");
        var max = parseInt(form.getAttribute("data-max-bytes"), 10);
        var box = form.querySelector(".js-error");
        if (input && input.files.length && input.files[0].size > max) {
          e.preventDefault();
          if (box) { box.textContent = form.getAttribute("data-too-large"); box.hidden = false; }
        }
      });
    });

    // Forms that change an account ask first.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
      });
    });

    // The Chinese file picker shows the chosen file's name.
    document.querySelectorAll("[data-file-name-for]").forEach(function (span) {
      var input = document.getElementById(span.getAttribute("data-file-name-for"));
      if (!input) { return; }
      var show = function () {
        span.textContent = input.files && input.files.length ? input.files[0].name : "未选择文件";
        span.classList.toggle("chosen", !!(input.files && input.files.length));
      };
      input.addEventListener("change", show);
      show();
    });

    document.querySelectorAll("table.sortable").forEach(sortable);

    var task = document.querySelector("[data-task-status]");
    if (task) { pollTask(task); }
  });

  // sortable makes the columns of a table's last header row sort on click: numbers (also "81.6%",
  // "+6.6", "−3.0", "1,234家") numerically, the rest in Chinese order.
  function sortable(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length || !table.tBodies.length) { return; }
    var head = rows[rows.length - 1];
    var offset = 0;
    if (rows.length > 1) {
      // Header cells spanning both rows (rowspan) take the first columns.
      Array.prototype.forEach.call(rows[0].cells, function (c) { if (c.rowSpan > 1) { offset++; } });
    }
    Array.prototype.forEach.call(head.cells, function (th, i) {
      var col = i + offset;
      th.classList.add("sortable-th");
      th.tabIndex = 0;
      var go = function () { sortBy(table, col, th); };
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
    });
  }

  function cellValue(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }

  function number(s) {
    var t = s.replace(/[,，\s]/g, "").replace("−", "-").replace(/^\+/, "");
    var m = t.match(/^-?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : NaN;
  }

  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    th.parentNode.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    // A leading total row (全市合计) stays on top.
    var fixed = rows.filter(function (r) { return r.classList.contains("heat-total"); });
    rows = rows.filter(function (r) { return !r.classList.contains("heat-total"); });
    var collator = new Intl.Collator("zh-CN");
    rows.sort(function (a, b) {
      var x = cellValue(a, col), y = cellValue(b, col);
      var nx = number(x), ny = number(y), r;
      if (!isNaN(nx) && !isNaN(ny)) { r = nx - ny; }
      else if (!isNaN(nx)) { r = -1; }
      else if (!isNaN(ny)) { r = 1; }
      else { r = collator.compare(x, y); }
      return asc ? r : -r;
    });
    fixed.concat(rows).forEach(function (r) { body.appendChild(r); });
  }

  // pollTask asks for a running generation's state every second and reloads the page when it ends.
  function pollTask(el) {
    var url = el.getAttribute("data-task-status");
    var label = el.querySelector("[data-task-label]");
    var elapsed = el.querySelector("[data-task-elapsed]");
    var tick = function () {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (s) {
          if (label) { label.textContent = s.label; }
          if (elapsed) { elapsed.textContent = s.elapsed; }
          if (s.finished) { location.reload(); } else { setTimeout(tick, 1000); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    };
    setTimeout(tick, 800);
  }
})();
