// Tideline's live view: recent history from the query API, then every update the processor commits
// (server-sent events), drawn with uPlot. The API key comes from ?api_key=, the form, or localStorage.
/* global URLSearchParams, location, document, localStorage, fetch, uPlot, innerWidth, EventSource, window */
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);
  const keyInput = $('apikey');
  keyInput.value = params.get('api_key') || localStorage.getItem('tideline.apiKey') || '';
  const state = {
    chart: null,
    times: [],
    values: [],
    alert: [],
    alarm: [],
    levels: {},
    source: null,
    updates: 0,
  };

  const kindOf = (feed) => (feed === 'market' ? 'symbols' : 'instruments');
  const feedParam = (feed) => (feed === 'market' ? '' : `feed=${feed}`);
  const status = (text, error) => {
    $('status').textContent = text;
    $('status').className = error ? 'error' : '';
  };

  async function api(path) {
    const response = await fetch(path, {
      headers: { 'x-api-key': keyInput.value, accept: 'application/json' },
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`${body.error?.code ?? response.status}: ${body.error?.message ?? ''}`);
    return body;
  }

  async function loadKeys(feed, wanted) {
    const path = feed === 'market' ? '/v1/symbols?limit=1000' : `/v1/instruments?feed=${feed}&limit=1000`;
    const { items } = await api(path);
    const select = $('key');
    select.replaceChildren(
      ...items.map((s) => {
        const option = document.createElement('option');
        option.value = s.key;
        option.textContent = `${s.key} (${s.type})`;
        return option;
      }),
    );
    if (wanted) {
      if (!items.some((s) => s.key === wanted)) {
        const option = document.createElement('option');
        option.value = wanted;
        option.textContent = wanted;
        select.append(option);
      }
      select.value = wanted;
    }
  }

  function levelsFrom(attributes) {
    for (const name of ['alertLevel', 'alarmLevel'])
      if (attributes && typeof attributes[name] === 'number') state.levels[name] = attributes[name];
    const shown = Object.entries(state.levels).map(([k, v]) => `${k} ${v}`);
    const parts = [shown.length ? `levels: ${shown.join(', ')}` : '', state.alertText];
    $('levels').textContent = parts.filter(Boolean).join(' \u2014 ');
  }

  function put(timeMs, fields) {
    state.points.set(timeMs, { ...state.points.get(timeMs), ...fields });
  }

  function columns() {
    const times = [...state.points.keys()].sort((a, b) => a - b);
    const pick = (name) => times.map((t) => state.points.get(t)[name] ?? null);
    return { times, values: pick('value'), sma: pick('sma'), ema: pick('ema') };
  }

  function draw(feed) {
    const { times, values, sma, ema } = columns();
    const data = [times.map((t) => t / 1000), values];
    const series = [
      {},
      {
        label: feed === 'market' ? 'price' : 'value',
        stroke: '#0f6fb4',
        width: 2,
        points: { show: true, size: 4 },
      },
    ];
    if (feed === 'geotech') {
      data.push(
        times.map(() => state.levels.alertLevel ?? null),
        times.map(() => state.levels.alarmLevel ?? null),
      );
      series.push(
        { label: 'alert level', stroke: '#e0a000', dash: [6, 4] },
        { label: 'alarm level', stroke: '#c62828', dash: [6, 4] },
      );
    }
    if (feed === 'market') {
      data.push(sma, ema);
      series.push(
        { label: 'SMA', stroke: '#2e7d32', spanGaps: true },
        { label: 'EMA', stroke: '#8e24aa', spanGaps: true },
      );
    }
    if (state.chart === null)
      state.chart = new uPlot(
        {
          width: Math.max(600, innerWidth - 40),
          height: 420,
          series,
          axes: [{}, { size: 70 }],
          scales: { x: { time: true } },
        },
        data,
        $('chart'),
      );
    else state.chart.setData(data);
  }

  function showAlert(alert) {
    state.alertText = alert.level === 'cleared' ? '' : `${alert.level}: ${alert.message}`;
    $('levels').dataset.alert = alert.level;
    levelsFrom(null);
  }

  async function open() {
    const feed = $('feed').value;
    const key = $('key').value;
    if (!key) return;
    if (state.source) state.source.close();
    if (state.chart) state.chart.destroy();
    Object.assign(state, { chart: null, points: new Map(), levels: {}, alertText: '', updates: 0 });
    $('chart').replaceChildren();
    localStorage.setItem('tideline.apiKey', keyInput.value);
    const base = `/v1/${kindOf(feed)}/${encodeURIComponent(key)}`;
    const fp = feedParam(feed);
    try {
      const spanMs = Number($('span').value);
      const to = Date.now() + 60000;
      if (feed !== 'market') levelsFrom((await api(`${base}?${fp}`)).attributes);
      let cursor = null;
      do {
        const q = new URLSearchParams({ from: String(to - spanMs), to: String(to), limit: '10000' });
        if (feed !== 'market') q.set('feed', feed);
        if (cursor) q.set('cursor', cursor);
        const page = await api(`${base}/readings?${q}`);
        for (const item of page.items) {
          put(item.timeMs, { value: item.value });
          levelsFrom(item.attributes);
        }
        cursor = page.nextCursor;
      } while (cursor);
      if (feed === 'market') {
        cursor = null;
        do {
          const q = new URLSearchParams({ from: String(to - spanMs), to: String(to), limit: '10000' });
          if (cursor) q.set('cursor', cursor);
          const page = await api(`${base}/moving-averages?${q}`);
          for (const item of page.items) put(item.timeMs, { sma: item.sma, ema: item.ema });
          cursor = page.nextCursor;
        } while (cursor);
      }
      draw(feed);
      status(`${key}: ${state.points.size} points, connecting\u2026`);
    } catch (error) {
      status(String(error.message || error), true);
      return;
    }
    const source = new EventSource(
      `/v1/live/${feed}/${encodeURIComponent(key)}?api_key=${encodeURIComponent(keyInput.value)}`,
    );
    state.source = source;
    source.addEventListener('ready', () => status(`${key}: live, ${state.points.size} points`));
    source.addEventListener('update', (event) => {
      const { field, value } = JSON.parse(event.data);
      if (field === 'reading') {
        put(value.eventTimeMs, { value: value.value });
        levelsFrom(value.attributes);
      } else if (field === 'window:market-moving') {
        put(value.windowEndMs - 1, { sma: value.aggregates.sma ?? null, ema: value.aggregates.ema ?? null });
      } else if (field === 'alert') {
        showAlert(value);
      } else return;
      state.updates++;
      draw(feed);
      status(`${key}: live, ${state.points.size} points, ${state.updates} updates`);
    });
    source.addEventListener('error', () => status(`${key}: reconnecting\u2026`, true));
  }

  // For tests and the curious: what the chart draws, as the chart holds it.
  window.tideline = {
    drawn: () =>
      state.chart
        ? {
            times: [...state.chart.data[0]],
            series: Object.fromEntries(
              state.chart.series.slice(1).map((s, i) => [s.label, [...state.chart.data[i + 1]]]),
            ),
          }
        : null,
    updates: () => state.updates,
    levels: () => ({ ...state.levels }),
  };

  $('feed').addEventListener('change', async () => {
    await loadKeys($('feed').value).catch((e) => status(String(e.message), true));
    await open();
  });
  $('key').addEventListener('change', open);
  $('span').addEventListener('change', open);
  keyInput.addEventListener('change', open);

  const feed = params.get('feed');
  if (feed) $('feed').value = feed;
  loadKeys($('feed').value, params.get('key'))
    .then(open)
    .catch((e) => status(String(e.message), true));
})();
