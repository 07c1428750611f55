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
    if (!attributes) return;
    for (const name of ['alertLevel', 'alarmLevel'])
      if (typeof attributes[name] === 'number') state.levels[name] = attributes[name];
    const shown = Object.entries(state.levels).map(([k, v]) => `${k} ${v}`);
    $('levels').textContent = shown.length ? `levels: ${shown.join(', ')}` : '';
  }

  function push(timeMs, value) {
    // Keep time order: an update older than the newest point is inserted where it belongs.
    let at = state.times.length;
    while (at > 0 && state.times[at - 1] > timeMs / 1000) at--;
    if (state.times[at - 1] === timeMs / 1000 && state.values[at - 1] === value) return;
    state.times.splice(at, 0, timeMs / 1000);
    state.values.splice(at, 0, value);
  }

  function draw(feed) {
    const levelSeries = feed === 'geotech';
    const data = [state.times, state.values];
    if (levelSeries) {
      data.push(state.times.map(() => state.levels.alertLevel ?? null));
      data.push(state.times.map(() => state.levels.alarmLevel ?? null));
    }
    if (state.chart === null) {
      const series = [{}, { label: 'value', stroke: '#0f6fb4', width: 2, points: { show: true, size: 4 } }];
      if (levelSeries) {
        series.push({ label: 'alert level', stroke: '#e0a000', dash: [6, 4] });
        series.push({ label: 'alarm level', stroke: '#c62828', dash: [6, 4] });
      }
      state.chart = new uPlot(
        { width: Math.max(600, innerWidth - 40), height: 420, series, scales: { x: { time: true } } },
        data,
        $('chart'),
      );
    } else state.chart.setData(data);
  }

  async function open() {
    const feed = $('feed').value;
    const key = $('key').value;
    if (!key) return;
    if (state.source) state.source.close();
    if (state.chart) state.chart.destroy();
    Object.assign(state, { chart: null, times: [], values: [], levels: {}, updates: 0 });
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
          push(item.timeMs, item.value);
          levelsFrom(item.attributes);
        }
        cursor = page.nextCursor;
      } while (cursor);
      draw(feed);
      status(`${key}: ${state.times.length} points, connecting\u2026`);
    } catch (error) {
      status(String(error.message || error), true);
      return;
    }
    const source = new EventSource(
      `/v1/live/${feed}/${encodeURIComponent(key)}?api_key=${encodeURIComponent(keyInput.value)}`,
    );
    state.source = source;
    source.addEventListener('ready', () => status(`${key}: live, ${state.times.length} points`));
    source.addEventListener('update', (event) => {
      const update = JSON.parse(event.data);
      if (update.field !== 'reading') return;
      push(update.value.eventTimeMs, update.value.value);
      levelsFrom(update.value.attributes);
      state.updates++;
      draw(feed);
      status(`${key}: live, ${state.times.length} points, ${state.updates} updates`);
    });
    source.addEventListener('error', () => status(`${key}: reconnecting\u2026`, true));
  }

  // For tests and the curious: what the chart draws, as the chart holds it.
  window.tideline = {
    drawn: () => (state.chart ? { times: [...state.chart.data[0]], values: [...state.chart.data[1]] } : null),
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
