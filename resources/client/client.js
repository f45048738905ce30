// Herald's page: one EventSource on /events, every event shown as text (never as HTML).
'use strict';

(() => {
  const storage = {
    get(key) { try { return localStorage.getItem(key); } catch { return null; } },
    set(key, value) { try { localStorage.setItem(key, value); } catch { /* private mode */ } },
  };

  // A stable id, so this browser stays one row in the operator's table across reconnects.
  function clientId() {
    let id = storage.get('herald.client');
    if (!id || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
      const bytes = new Uint8Array(8);
      crypto.getRandomValues(bytes); // randomUUID needs a secure context; LAN pages are plain http
      id = 'b-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      storage.set('herald.client', id);
    }
    return id;
  }

  function parseTopics(text) {
    return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
  }

  const $ = (id) => document.getElementById(id);
  const ui = {
    state: $('state'), notice: $('notice'), empty: $('empty'), events: $('events'),
    form: $('settings-form'), name: $('name'), topics: $('topics'),
    reconnect: $('reconnect'), clear: $('clear'),
  };
  const MaxShown = 500;

  const pageParams = new URLSearchParams(location.search);
  const pageTopics = pageParams.getAll('topic').join(',');
  const settings = {
    id: clientId(),
    name: pageParams.get('name') || storage.get('herald.name') || '',
    topics: parseTopics(pageTopics || storage.get('herald.topics') || ''),
  };
  ui.name.value = settings.name;
  ui.topics.value = settings.topics.join(', ');

  let source = null;
  let lastEventId = '';
  let reconnects = 0;
  let serverStopped = false; // told by herald-shutdown: keep saying so while retrying

  function setState(state, text) {
    ui.state.dataset.state = state;
    ui.state.textContent = text;
    ui.reconnect.hidden = !(state === 'kicked' || state === 'closed');
  }

  function showNotice(text) {
    ui.notice.textContent = text;
    ui.notice.hidden = !text;
  }

  function timeText(ms) {
    const date = Number.isFinite(ms) ? new Date(ms) : new Date();
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function addEvent(id, envelope) {
    const item = document.createElement('li');
    item.className = 'event';
    item.dataset.id = id;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const time = document.createElement('time');
    time.textContent = timeText(envelope.time);
    if (Number.isFinite(envelope.time)) time.dateTime = new Date(envelope.time).toISOString();
    meta.append(time);
    for (const [cls, value] of [['type', envelope.type], ['topic', envelope.topic], ['to', envelope.to ? 'to you' : '']]) {
      if (!value) continue;
      const tag = document.createElement('span');
      tag.className = 'tag ' + cls;
      tag.textContent = cls === 'topic' ? '#' + value : value;
      meta.append(tag);
    }
    const text = document.createElement('p');
    text.className = 'text';
    text.textContent = String(envelope.data ?? '');
    item.append(meta, text);
    ui.events.prepend(item);
    while (ui.events.childElementCount > MaxShown) ui.events.lastElementChild.remove();
    ui.empty.hidden = true;
  }

  function connect() {
    if (source) source.close();
    const params = new URLSearchParams({ client: settings.id, format: 'json' });
    if (settings.name) params.set('name', settings.name);
    for (const topic of settings.topics) params.append('topic', topic);
    // A fresh EventSource cannot send Last-Event-ID itself; the query carries it.
    if (lastEventId) params.set('lastEventId', lastEventId);

    setState('connecting', 'Connecting…');
    source = new EventSource('/events?' + params.toString());

    source.onopen = () => {
      reconnects = 0;
      serverStopped = false;
      setState('live', settings.topics.length ? 'Live · ' + settings.topics.join(', ') : 'Live');
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        reconnects += 1;
        setState('reconnecting', serverStopped
          ? `Herald stopped. Waiting for it to come back… (attempt ${reconnects})`
          : `Reconnecting… (attempt ${reconnects})`);
      } else {
        setState('closed', 'Disconnected. The server refused this page.');
      }
    };
    source.onmessage = (event) => {
      lastEventId = event.lastEventId || lastEventId;
      let envelope;
      try { envelope = JSON.parse(event.data); } catch { envelope = { data: event.data }; }
      if (typeof envelope !== 'object' || envelope === null) envelope = { data: event.data };
      addEvent(event.lastEventId, envelope);
    };
    source.addEventListener('herald-gap', () => {
      showNotice('Some messages were sent while this page was away and are no longer available.');
    });
    source.addEventListener('herald-kicked', () => {
      source.close();
      setState('kicked', 'Disconnected by the operator.');
    });
    source.addEventListener('herald-shutdown', () => {
      serverStopped = true;
      setState('reconnecting', 'Herald stopped. Waiting for it to come back…');
    });
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    settings.name = ui.name.value.trim();
    settings.topics = parseTopics(ui.topics.value);
    ui.topics.value = settings.topics.join(', ');
    storage.set('herald.name', settings.name);
    storage.set('herald.topics', settings.topics.join(','));
    connect();
  });
  ui.reconnect.addEventListener('click', () => { showNotice(''); connect(); });
  ui.clear.addEventListener('click', () => {
    ui.events.replaceChildren();
    ui.empty.hidden = false;
  });

  connect();
})();
