// The workbook dashboard's page script (plain browser JS, no build step). Progressive enhancement
// only: the pages are complete without it. It draws the charts from the JSON data island (time
// series with uPlot, bars with Chart.js, colours from the stylesheet's custom properties so light
// and dark mode both read), lets a drag across a time chart set a custom range, keeps the range
// select and the From/To boxes consistent, and makes the admin nav keep the current filters.
(function () {
  'use strict';

  var FILTER_KEYS = ['range', 'from', 'to', 'policy', 'app', 'channel'];

  // ---- filter bar ------------------------------------------------------------------------------

  function wireFilterBar() {
    var range = document.getElementById('tg-f-range');
    var from = document.getElementById('tg-f-from');
    var to = document.getElementById('tg-f-to');
    if (!range || !from || !to) return;
    // A preset replaces whatever is in the boxes; typing a date means a custom range.
    range.addEventListener('change', function () {
      if (range.value !== 'custom') {
        from.value = '';
        to.value = '';
      } else if (!from.value) {
        from.focus();
      }
    });
    [from, to].forEach(function (box) {
      box.addEventListener('input', function () {
        if (box.value) range.value = 'custom';
      });
    });
  }

  /** Empty boxes stay out of the URL, so shared links read `?range=7d&policy=…`, not `&from=&to=…`. */
  function tidySubmittedUrls() {
    var forms = document.querySelectorAll('form.tg-wb-filters, form.tg-wb-search');
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener('submit', function (ev) {
        var fields = ev.currentTarget.elements;
        for (var j = 0; j < fields.length; j++) {
          if (fields[j].name && fields[j].value === '' && fields[j].type !== 'submit') fields[j].disabled = true;
        }
      });
    }
    // Coming back through the history must not find the boxes still disabled.
    window.addEventListener('pageshow', function () {
      var off = document.querySelectorAll('form.tg-wb-filters [disabled], form.tg-wb-search [disabled]');
      for (var k = 0; k < off.length; k++) off[k].disabled = false;
    });
  }

  /** The layout's Overview / Details / Fraud links keep the filters, like the workbook tabs do. */
  function carryFiltersInNav() {
    var here = new URLSearchParams(location.search);
    var keep = new URLSearchParams();
    FILTER_KEYS.forEach(function (k) {
      var v = here.get(k);
      if (v) keep.set(k, v);
    });
    var query = keep.toString();
    if (!query) return;
    var links = document.querySelectorAll('.tg-admin-nav a');
    for (var i = 0; i < links.length; i++) {
      var path = links[i].getAttribute('href');
      if (path === '/admin' || path === '/admin/details' || path === '/admin/fraud') links[i].setAttribute('href', path + '?' + query);
    }
  }

  // ---- colours -----------------------------------------------------------------------------------

  function palette() {
    var css = getComputedStyle(document.documentElement);
    var v = function (name, fallback) {
      var value = css.getPropertyValue(name).trim();
      return value || fallback;
    };
    var series = [];
    for (var i = 1; i <= 10; i++) series.push(v('--tg-chart-' + i, '#0b57d0'));
    return {
      series: series,
      other: v('--tg-chart-other', '#8c959f'),
      bar: v('--tg-chart-bar', '#0b57d0'),
      grid: v('--tg-chart-grid', 'rgba(128,128,128,0.25)'),
      text: v('--tg-chart-text', v('--tg-text', '#1b1f24')),
      font: getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif',
    };
  }

  // ---- time charts (uPlot) -------------------------------------------------------------------------

  var pad = function (n) {
    return (n < 10 ? '0' : '') + n;
  };
  /** A datetime-local value in UTC, as the filter form reads it. */
  function utcInput(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + 'T' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }

  /** `2026-01-15 09:00`: times read in UTC and 24-hour, like the tables. */
  function utcLabel(sec) {
    return utcInput(sec * 1000).replace('T', ' ');
  }

  /** Axis labels in UTC: days over long ranges, else hours with the day under the first of each day. */
  function timeTicks(u, splits) {
    var span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
    var previous = null;
    return splits.map(function (sec) {
      var full = utcLabel(sec);
      var day = full.slice(5, 10);
      var hm = full.slice(11);
      var label = span >= 3 * 86400 ? day : day !== previous ? hm + '\n' + day : hm;
      previous = day;
      return label;
    });
  }

  /** A drag across a time chart becomes the page's custom range (whole minutes, at least one). */
  function zoomTo(fromSec, toSec) {
    var from = Math.floor((fromSec * 1000) / 60000) * 60000;
    var to = Math.max(Math.ceil((toSec * 1000) / 60000) * 60000, from + 60000);
    var url = new URL(location.href);
    url.searchParams.delete('range');
    url.searchParams.set('from', utcInput(from));
    url.searchParams.set('to', utcInput(to));
    url.hash = '';
    location.assign(url.toString());
  }

  function timeChart(spec, el, colours) {
    var xs = spec.x.map(function (ms) {
      return ms / 1000;
    });
    var series = [{ label: 'Time (UTC)', value: function (u, v) { return v == null ? '–' : utcLabel(v); } }];
    var data = [xs];
    spec.series.forEach(function (s, i) {
      var colour = s.other ? colours.other : colours.series[i % colours.series.length];
      series.push({
        label: s.label,
        stroke: colour,
        width: 2,
        points: { show: xs.length <= 48, size: 5, fill: colour },
        value: function (u, v) {
          return v == null ? '–' : String(v);
        },
      });
      data.push(s.values);
    });
    var axis = {
      stroke: colours.text,
      grid: { stroke: colours.grid, width: 1 },
      ticks: { stroke: colours.grid, width: 1 },
      font: '12px ' + colours.font,
    };
    var opts = {
      width: Math.max(el.clientWidth, 280),
      height: 260,
      series: series,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [Object.assign({}, axis, { values: timeTicks, size: 56 }), Object.assign({}, axis, { values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) ? String(t) : ''; }); } })],
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      tzDate: function (ts) {
        return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
      },
      hooks: {
        setSelect: [
          function (u) {
            if (u.select.width < 4) return;
            zoomTo(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
          },
        ],
      },
    };
    var plot = new uPlot(opts, data, el);
    var resize = new ResizeObserver(function () {
      plot.setSize({ width: Math.max(el.clientWidth, 280), height: 260 });
    });
    resize.observe(el);
    return {
      destroy: function () {
        resize.disconnect();
        plot.destroy();
      },
    };
  }

  // ---- bar charts (Chart.js) ---------------------------------------------------------------------

  function barChart(spec, el, colours) {
    el.style.height = Math.max(120, spec.labels.length * 28 + 48) + 'px';
    var canvas = document.createElement('canvas');
    el.appendChild(canvas);
    var chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels, datasets: [{ label: spec.measure, data: spec.values, backgroundColor: colours.bar, borderRadius: 3, maxBarThickness: 22 }] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color: colours.text,
        font: { family: colours.font },
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
        scales: {
          x: { beginAtZero: true, ticks: { color: colours.text, precision: spec.measure === 'Failures' ? 0 : undefined }, grid: { color: colours.grid }, border: { color: colours.grid } },
          y: { ticks: { color: colours.text, autoSkip: false }, grid: { display: false }, border: { color: colours.grid } },
        },
      },
    });
    return {
      destroy: function () {
        chart.destroy();
        canvas.remove();
      },
    };
  }

  // ---- drawing -------------------------------------------------------------------------------------

  var drawn = [];

  function draw(data) {
    drawn.forEach(function (c) {
      c.destroy();
    });
    drawn = [];
    var colours = palette();
    // Which scheme the charts were drawn for (the colours differ; tests wait on it too).
    var scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    var mark = function (el) {
      el.classList.add('tg-chart-drawn');
      el.dataset.scheme = scheme;
    };
    if (typeof uPlot === 'function') {
      (data.time || []).forEach(function (spec) {
        var el = document.getElementById('tg-chart-' + spec.id);
        if (!el || !spec.series.length) return;
        drawn.push(timeChart(spec, el, colours));
        mark(el);
        // The chart now shows the table's data: fold the table away (one click to open it).
        var section = el.closest('section');
        var table = section && section.querySelector('details.tg-wb-data');
        if (table && !table.dataset.userToggled) table.open = false;
      });
    }
    if (typeof Chart === 'function') {
      (data.bars || []).forEach(function (spec) {
        var el = document.getElementById('tg-chart-' + spec.id);
        if (!el || !spec.labels.length) return;
        drawn.push(barChart(spec, el, colours));
        mark(el);
      });
    }
  }

  function charts() {
    var island = document.getElementById('tg-wb-chart-data');
    if (!island) return;
    var data;
    try {
      data = JSON.parse(island.textContent || '{}');
    } catch (e) {
      return;
    }
    var tables = document.querySelectorAll('details.tg-wb-data');
    for (var i = 0; i < tables.length; i++) {
      tables[i].querySelector('summary').addEventListener('click', function (ev) {
        ev.currentTarget.parentElement.dataset.userToggled = '1';
      });
    }
    draw(data);
    // Colours follow the system's light / dark switch without a reload.
    var scheme = window.matchMedia('(prefers-color-scheme: dark)');
    var redraw = function () {
      draw(data);
    };
    if (scheme.addEventListener) scheme.addEventListener('change', redraw);
  }

  function start() {
    wireFilterBar();
    tidySubmittedUrls();
    carryFiltersInNav();
    charts();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
