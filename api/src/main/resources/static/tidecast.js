// The built-in page: the recent readings of a series, its latest forecast with the interval band,
// and its accuracy by horizon step, polled every two seconds.
(function () {
  'use strict';
  const POLL_MS = 2000;
  const seriesSelect = document.getElementById('series');
  const channelSelect = document.getElementById('channel');
  const chartBox = document.getElementById('chart');
  const status = document.getElementById('status');
  let chart = null;
  let lastKey = '';

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    if (response.status === 404) {
      return null;
    }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(path + ': ' + response.status + ' ' + detail);
    }
    return response.json();
  }

  function fillSelect(select, values) {
    const current = select.value;
    const same = select.options.length === values.length
      && values.every((v, i) => select.options[i].value === v);
    if (!same) {
      select.replaceChildren(...values.map((v) => new Option(v, v)));
      if (values.includes(current)) {
        select.value = current;
      }
    }
  }

  function seconds(ts) {
    return Date.parse(ts) / 1000;
  }

  // One x axis for actuals and forecast steps; null where a line has no value.
  function chartData(readings, forecast, channel) {
    const points = new Map();
    const row = (t) => {
      if (!points.has(t)) { points.set(t, [t, null, null, null, null]); }
      return points.get(t);
    };
    for (const r of readings ? readings.readings : []) {
      row(seconds(r.ts))[1] = r.values[channel];
    }
    if (forecast) {
      // the forecast line starts at the last reading it saw
      const issued = row(seconds(forecast.issuedAt));
      if (issued[1] !== null) { issued[2] = issued[1]; }
      for (const s of forecast.steps) {
        const p = row(seconds(s.ts));
        p[2] = s.yhat[channel];
        if (s.lower && s.upper) {
          p[3] = s.lower[channel];
          p[4] = s.upper[channel];
        }
      }
    }
    const rows = [...points.values()].sort((a, b) => a[0] - b[0]);
    return [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i]));
  }

  function draw(data) {
    const width = Math.max(400, chartBox.clientWidth || 900);
    if (chart === null) {
      chart = new uPlot({
        width: width,
        height: 360,
        series: [
          {},
          { label: 'actual', stroke: '#1f77b4', width: 1.5 },
          { label: 'forecast', stroke: '#d62728', width: 2, dash: [6, 4] },
          { label: 'lower', stroke: 'rgba(214,39,40,0.35)', width: 1 },
          { label: 'upper', stroke: 'rgba(214,39,40,0.35)', width: 1 },
        ],
        bands: [{ series: [4, 3], fill: 'rgba(214,39,40,0.18)' }],
        scales: { x: { time: true } },
        legend: { show: false },
      }, data, chartBox);
      window.tidecastChart = chart;
    } else {
      chart.setData(data);
    }
  }

  function cell(value, digits) {
    return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
  }

  function showAccuracy(accuracy, channel) {
    const body = document.querySelector('#accuracy tbody');
    if (!accuracy) {
      body.replaceChildren();
      return;
    }
    body.replaceChildren(...accuracy.steps.map((s) => {
      const tr = document.createElement('tr');
      const mse = s.mse[channel];
      const coverage = s.coverage[channel];
      [s.step, s.count[channel], cell(s.mae[channel], 3), cell(mse === null ? null : Math.sqrt(mse), 3),
        coverage === null ? '–' : (100 * coverage).toFixed(1) + '%', cell(s.halfWidth[channel], 3)]
        .forEach((v) => { const td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
      return tr;
    }));
    document.getElementById('band-label').textContent =
      Math.round(100 * accuracy.coverageTarget) + '% interval';
  }

  async function refresh() {
    try {
      const all = await getJson('/api/v1/series');
      fillSelect(seriesSelect, all || []);
      const id = seriesSelect.value;
      if (!id) {
        status.textContent = 'waiting for the first forecast…';
        return;
      }
      const path = '/api/v1/series/' + encodeURIComponent(id);
      const [forecast, readings, accuracy] = await Promise.all([
        getJson(path + '/forecast'), getJson(path + '/readings'), getJson(path + '/accuracy')]);
      fillSelect(channelSelect, forecast ? forecast.channels || Object.keys(forecast.steps[0].yhat) : []);
      const channel = channelSelect.value;
      const data = chartData(readings, forecast, channel);
      draw(data);
      showAccuracy(accuracy, channel);
      const count = (i) => data[i].filter((v) => v !== null).length;
      chartBox.dataset.issuedAt = forecast ? forecast.issuedAt : '';
      chartBox.dataset.actuals = count(1);
      chartBox.dataset.forecast = count(2);
      chartBox.dataset.band = Math.min(count(3), count(4));
      document.getElementById('model').textContent = forecast
        ? 'model ' + forecast.model.name + ' ' + forecast.model.version + ', issued ' + forecast.issuedAt : '';
      document.getElementById('title').textContent = id + ' · ' + channel;
      status.textContent = 'updated ' + new Date().toLocaleTimeString();
      status.classList.remove('error');
    } catch (e) {
      status.textContent = e.message;
      status.classList.add('error');
    }
  }

  seriesSelect.addEventListener('change', refresh);
  channelSelect.addEventListener('change', refresh);
  refresh();
  setInterval(refresh, POLL_MS);
}());
