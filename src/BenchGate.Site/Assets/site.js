// benchgate dashboard: filters, sort and search on the index, the metric switch and selectors on a benchmark's page,
// and the compare page. Plain script, no library: the site must work from file:// and GitHub Pages alike.
(function () {
  'use strict';

  function each(list, f) { Array.prototype.forEach.call(list, f); }

  // Index
  var table = document.getElementById('benchmarks');
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var selects = document.querySelectorAll('select[data-filter]');
    var search = document.getElementById('search');
    var shown = document.getElementById('shown');
    var apply = function () {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var n = 0;
      rows.forEach(function (r) {
        var ok = true;
        each(selects, function (s) { if (s.value && r.dataset[s.dataset.filter] !== s.value) { ok = false; } });
        if (ok) { ok = words.every(function (w) { return r.dataset.search.indexOf(w) >= 0; }); }
        r.hidden = !ok;
        if (ok) { n++; }
      });
      shown.textContent = n + ' shown';
      var query = new URLSearchParams();
      each(selects, function (s) { if (s.value) { query.set(s.name, s.value); } });
      if (search.value) { query.set('q', search.value); }
      var qs = query.toString();
      history.replaceState(null, '', qs ? '?' + qs : location.pathname);
    };
    var params = new URLSearchParams(location.search);
    each(selects, function (s) { if (params.get(s.name)) { s.value = params.get(s.name); } s.addEventListener('change', apply); });
    if (params.get('q')) { search.value = params.get('q'); }
    search.addEventListener('input', apply);
    document.getElementById('filters').addEventListener('submit', function (e) { e.preventDefault(); });
    if (location.search) { apply(); }

    each(table.querySelectorAll('button[data-sort]'), function (btn) {
      btn.addEventListener('click', function () {
        var th = btn.parentElement;
        var key = btn.dataset.sort;
        var numeric = btn.dataset.type === 'number';
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        each(table.querySelectorAll('th[aria-sort]'), function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir);
        var sign = dir === 'ascending' ? 1 : -1;
        rows.sort(function (a, b) {
          var x = a.dataset[key], y = b.dataset[key];
          if (!numeric) { return x.localeCompare(y) * sign; }
          x = x === '' ? NaN : +x;
          y = y === '' ? NaN : +y;
          if (isNaN(x)) { return isNaN(y) ? 0 : 1; }
          if (isNaN(y)) { return -1; }
          return (x - y) * sign;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  // A benchmark's page
  // Choosing another machine or branch does not leave the page by itself (arrow keys change a select): its button does.
  each(document.querySelectorAll('button[data-go]'), function (b) {
    b.addEventListener('click', function () { location.href = document.querySelector('select[name="' + b.dataset.go + '"]').value; });
  });
  each(document.querySelectorAll('input[name="metric"]'), function (radio) {
    radio.addEventListener('change', function () {
      if (!radio.checked) { return; }
      each(document.querySelectorAll('section.figure'), function (f) { f.hidden = f.dataset.metric !== radio.value; });
    });
  });

  // A long history's point under the pointer (short ones have a circle with a title per point).
  each(document.querySelectorAll('svg.chart g.hover'), function (g) {
    var svg = g.ownerSVGElement;
    var commits = g.dataset.commits.split('|'), ys = g.dataset.ys.split('|'), tips = g.dataset.tips.split('|');
    var x0 = +g.dataset.x0, dx = +g.dataset.dx;
    var ns = 'http://www.w3.org/2000/svg';
    var dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('r', '4');
    dot.setAttribute('class', 'pt');
    dot.style.display = 'none';
    svg.appendChild(dot);
    // The pointer's tooltip only: the same values are in the chart's table for the keyboard and screen readers.
    var tip = document.createElement('div');
    tip.className = 'tip';
    tip.setAttribute('aria-hidden', 'true');
    tip.hidden = true;
    svg.parentNode.insertBefore(tip, svg.nextSibling);
    svg.addEventListener('mousemove', function (e) {
      var p = svg.createSVGPoint();
      p.x = e.clientX;
      p.y = e.clientY;
      var at = p.matrixTransform(svg.getScreenCTM().inverse());
      var i = Math.max(0, Math.min(commits.length - 1, Math.round((at.x - x0) / dx)));
      dot.setAttribute('cx', x0 + i * dx);
      dot.setAttribute('cy', ys[i]);
      dot.dataset.commit = commits[i];
      dot.style.display = '';
      tip.textContent = tips[i];
      tip.hidden = false;
    });
    svg.addEventListener('mouseleave', function () { dot.style.display = 'none'; tip.hidden = true; });
    var details = document.querySelector('details[data-for="' + svg.id + '"]');
    if (details) {
      details.addEventListener('toggle', function () {
        if (!details.open || details.querySelector('table')) { return; }
        var table = document.createElement('table');
        var head = table.createTHead().insertRow();
        ['Commit', 'Value and interval'].forEach(function (t) { var th = document.createElement('th'); th.scope = 'col'; th.textContent = t; head.appendChild(th); });
        var body = table.createTBody();
        for (var i = commits.length - 1; i >= 0; i--) {
          var row = body.insertRow();
          row.insertCell().textContent = commits[i];
          row.insertCell().textContent = tips[i];
        }
        details.appendChild(table);
      });
    }
  });

  // Compare
  var data = window.BenchGateData;
  var form = document.getElementById('compare-form');
  if (form && data) {
    var pickA = document.getElementById('commit-a');
    var pickB = document.getElementById('commit-b');
    var only = document.getElementById('compare-filter');
    var status = document.getElementById('compare-status');
    var out = document.querySelector('#compare tbody');
    // An exact commit first; else the newest that the given prefix starts (?b=c1 must not pick c19 over c1).
    var choose = function (select, commit) {
      if (!commit) { return false; }
      var options = Array.prototype.slice.call(select.options);
      var at = options.findIndex(function (o) { return o.value === commit; });
      if (at < 0) { at = options.findIndex(function (o) { return o.value.indexOf(commit) === 0; }); }
      if (at >= 0) { select.selectedIndex = at; }
      return at >= 0;
    };
    var query = new URLSearchParams(location.search);
    if (choose(pickB, query.get('b')) && !query.get('a')) {
      pickA.selectedIndex = Math.min(pickB.selectedIndex + 1, pickA.options.length - 1);
    }
    choose(pickA, query.get('a'));
    var loading = {};
    var load = function (i, done) {
      if (data.values[i]) { done(); return; }
      if (loading[i]) { loading[i].push(done); return; }
      loading[i] = [done];
      var s = document.createElement('script');
      s.src = 'data/commit-' + i + '.js';
      s.onload = function () { var waiting = loading[i]; delete loading[i]; waiting.forEach(function (f) { f(); }); };
      s.onerror = function () { status.textContent = 'Could not load data/commit-' + i + '.js'; };
      document.head.appendChild(s);
    };
    var latest = 0;
    var percent = function (x) { return (x >= 0 ? '+' : '\u2212') + Math.abs(100 * x).toFixed(1) + '%'; };
    var cell = function (tr, text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) { td.className = cls; } tr.appendChild(td); return td; };
    var draw = function (ia, ib) {
      var byA = {}, counts = { Regression: 0, Improvement: 0, 'No change': 0 };
      data.values[ia].forEach(function (v) { byA[v[0]] = v; });
      out.textContent = '';
      data.values[ib].forEach(function (vb) {
        var va = byA[vb[0]];
        if (!va || !(va[1] > 0) || !(vb[1] > 0)) { return; }
        var s = data.series[vb[0]];
        var se = function (v) { return v[2] > 0 && v[3] > 0 ? Math.log(v[3] / v[2]) / (2 * data.z) : 0; };
        var d = Math.log(vb[1] / va[1]);
        var half = data.z * Math.max(Math.sqrt(se(va) * se(va) + se(vb) * se(vb)), s[4]);
        var lo = Math.exp(d - half) - 1, hi = Math.exp(d + half) - 1, change = Math.exp(d) - 1;
        var worse = s[3] ? d < 0 : d > 0;
        var verdict = (lo > 0 || hi < 0) && Math.abs(change) * 100 >= data.threshold ? (worse ? 'Regression' : 'Improvement') : 'No change';
        counts[verdict]++;
        if (only.value === 'changed' && verdict === 'No change') { return; }
        var tr = document.createElement('tr');
        tr.dataset.verdict = verdict;
        var th = document.createElement('th');
        th.scope = 'row';
        var a = document.createElement('a');
        a.href = 'b/' + s[0] + '.html';
        a.textContent = s[1];
        th.appendChild(a);
        tr.appendChild(th);
        cell(tr, s[2] === 'avg_ts' ? 'Tokens/s' : s[2] === 'avg_ns' ? 'Latency' : s[2]);
        var fmt = function (v) { return s[2] === 'avg_ns' ? (v / 1e6).toFixed(3) + ' ms' : v.toFixed(2) + (s[2] === 'avg_ts' ? ' t/s' : ''); };
        cell(tr, fmt(va[1]), 'num');
        cell(tr, fmt(vb[1]), 'num');
        cell(tr, percent(change), 'num');
        cell(tr, percent(lo) + ' to ' + percent(hi), 'num');
        cell(tr, verdict, verdict === 'Regression' ? 'regression' : verdict === 'Improvement' ? 'improvement' : '');
        out.appendChild(tr);
      });
      status.textContent = (counts.Regression + counts.Improvement + counts['No change']) + ' series in both commits: ' +
        counts.Regression + ' regressions, ' + counts.Improvement + ' improvements.';
    };
    var render = function () {
      var ia = +pickA.options[pickA.selectedIndex].dataset.index;
      var ib = +pickB.options[pickB.selectedIndex].dataset.index;
      status.textContent = 'Loading\u2026';
      // Only the newest choice draws: a slow earlier load must not overwrite it.
      var token = ++latest;
      load(ia, function () { load(ib, function () { if (token === latest) { draw(ia, ib); } }); });
      history.replaceState(null, '', '?a=' + encodeURIComponent(pickA.value) + '&b=' + encodeURIComponent(pickB.value));
    };
    pickA.addEventListener('change', render);
    pickB.addEventListener('change', render);
    only.addEventListener('change', render);
    render();
  }
}());
