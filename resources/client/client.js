// Herald's page. It shows what the operator publishes as text: an address in a message becomes a
// link built element by element. A message marked Markdown goes through markdown-it, which keeps
// raw HTML as text; its links follow the same rules, and its images become links, never loaded.
// The only pictures it loads are the files Herald keeps for messages, from its own origin.
'use strict';

(() => {
  const root = document.documentElement;
  const pageParams = new URLSearchParams(location.search);

  // ---- Words ------------------------------------------------------------------------------

  const Words = {
    en: {
      connecting: 'Connecting…',
      live: 'Live',
      liveTopics: 'Live · {topics}',
      reconnecting: 'Reconnecting… (attempt {attempt})',
      serverStopped: 'Herald stopped. Waiting for it to come back…',
      serverStoppedAttempt: 'Herald stopped. Waiting for it to come back… (attempt {attempt})',
      kicked: 'Disconnected by the operator.',
      closed: 'Disconnected. The server refused this page.',
      gap: 'Some messages were sent while this page was away and are no longer available.',
      empty: 'Messages will appear here as soon as they are sent.',
      messages: 'Received messages',
      toYou: 'to you',
      edited: 'edited',
      opensLink: 'Opens {address}',
      fileExpired: '{name}: the file expired',
      openPicture: 'Open {name} full size',
      settings: 'Settings',
      name: 'Your name',
      nameHint: '(shown to the operator)',
      topics: 'Topics',
      topicsHint: '(comma-separated; empty for all)',
      allTopics: 'all topics',
      sound: 'Play a short tone when a message arrives (phones also vibrate)',
      notify: 'Show a notification when a message arrives while this page is hidden',
      apply: 'Apply',
      reconnect: 'Reconnect',
      clear: 'Clear messages',
      composer: 'Send a message',
      composeText: 'Message',
      composeType: 'Type',
      composeTopic: 'Topic',
      composeFile: 'Photo (from the camera or the gallery)',
      optional: 'optional',
      send: 'Send',
      sending: 'Sending…',
      sentToOne: 'Sent to 1 connected client.',
      sent: 'Sent to {count} connected clients.',
      refused: 'Herald refused the message (HTTP {status}).',
      unreachable: 'Herald could not be reached. The message is still here: try again.',
    },
    'zh-CN': {
      connecting: '正在连接…',
      live: '已连接',
      liveTopics: '已连接 · {topics}',
      reconnecting: '正在重新连接…（第 {attempt} 次尝试）',
      serverStopped: 'Herald 已停止，正在等待它恢复…',
      serverStoppedAttempt: 'Herald 已停止，正在等待它恢复…（第 {attempt} 次尝试）',
      kicked: '操作员已断开此页面的连接。',
      closed: '连接已断开：服务器拒绝了此页面。',
      gap: '此页面离开期间发送的部分消息已无法获取。',
      empty: '消息一经发送就会显示在这里。',
      messages: '收到的消息',
      toYou: '发给你',
      edited: '已编辑',
      opensLink: '打开 {address}',
      fileExpired: '{name}：文件已过期',
      openPicture: '查看原图 {name}',
      settings: '设置',
      name: '你的名字',
      nameHint: '（操作员可以看到）',
      topics: '主题',
      topicsHint: '（用逗号分隔；留空表示全部）',
      allTopics: '全部主题',
      sound: '收到消息时播放提示音（手机还会振动）',
      notify: '页面隐藏时收到消息，显示系统通知',
      apply: '应用',
      reconnect: '重新连接',
      clear: '清除消息',
      composer: '发送消息',
      composeText: '消息',
      composeType: '类型',
      composeTopic: '主题',
      composeFile: '照片（拍照或从相册选择）',
      optional: '可选',
      send: '发送',
      sending: '正在发送…',
      sentToOne: '已发送给 1 个已连接的客户端。',
      sent: '已发送给 {count} 个已连接的客户端。',
      refused: 'Herald 拒绝了这条消息（HTTP {status}）。',
      unreachable: '无法连接到 Herald。消息仍保留在这里，请重试。',
    },
  };

  // The first of the reader's languages that the page speaks; any Chinese gets Simplified Chinese.
  function pickLanguage(tags) {
    for (const tag of tags) {
      const primary = String(tag).toLowerCase().split('-')[0];
      if (primary === 'zh') return 'zh-CN';
      if (primary === 'en') return 'en';
    }
    return 'en';
  }

  const language = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language || 'en']);
  const words = Words[language];
  const say = (key, values = {}) => words[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

  function translatePage() {
    root.lang = language;
    for (const element of document.querySelectorAll('[data-text]')) element.textContent = say(element.dataset.text);
    for (const element of document.querySelectorAll('[data-placeholder]')) element.placeholder = say(element.dataset.placeholder);
    for (const element of document.querySelectorAll('[data-label]')) element.setAttribute('aria-label', say(element.dataset.label));
  }

  // ---- Settings ---------------------------------------------------------------------------

  const storage = {
    get(key) { try { return localStorage.getItem(key); } catch { return null; } },
    set(key, value) { try { localStorage.setItem(key, value); } catch { /* private mode */ } },
    remove(key) { try { localStorage.removeItem(key); } catch { /* private mode */ } },
  };

  // A stable id, so this browser stays one row in the operator's table across reconnects.
  function clientId() {
    let id = storage.get('herald.client');
    if (!id || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
      id = 'b-' + randomHex(8);
      storage.set('herald.client', id);
    }
    return id;
  }

  function randomHex(byteCount) {
    const bytes = new Uint8Array(byteCount);
    crypto.getRandomValues(bytes); // randomUUID needs a secure context; LAN pages are plain http
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function parseTopics(text) {
    return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
  }

  const $ = (id) => document.getElementById(id);
  const ui = {
    state: $('state'), main: $('main'), notice: $('notice'), empty: $('empty'), events: $('events'),
    form: $('settings-form'), name: $('name'), topics: $('topics'), sound: $('sound'),
    notify: $('notify'), notifyRow: $('notify-row'),
    reconnect: $('reconnect'), clear: $('clear'),
    composer: $('composer'), composeText: $('compose-text'), composeType: $('compose-type'),
    composeTopic: $('compose-topic'), composeFile: $('compose-file'), composeSend: $('compose-send'), composeStatus: $('compose-status'),
  };

  const pageTopics = pageParams.getAll('topic').join(',');
  const settings = {
    id: clientId(),
    name: pageParams.get('name') || storage.get('herald.name') || '',
    topics: parseTopics(pageTopics || storage.get('herald.topics') || ''),
    sound: storage.get('herald.sound') === 'on',
    notify: storage.get('herald.notify') === 'on',
  };

  // Herald writes these on <html>: how many recent messages a page opens with, and whether this
  // browser may publish.
  const pageHistory = /^\d+$/.test(root.dataset.pageHistory ?? '') ? Number(root.dataset.pageHistory) : 20;
  const canPublish = root.dataset.canPublish === 'true';
  const displayMode = pageParams.get('view') === 'display';

  // ---- Messages ---------------------------------------------------------------------------

  const MaxShown = 500;

  // An http or https address, up to a space, a quote or angle bracket, or Chinese punctuation.
  const AddressPattern = /\bhttps?:\/\/[^\s<>"'`，。；：！？、（）【】「」]+/gi;

  // Sentence punctuation after an address belongs to the sentence; a ")" stays when the address
  // opened one, as in Wikipedia's addresses.
  function trimAddress(address) {
    for (;;) {
      const last = address[address.length - 1];
      const unbalanced = last === ')' && address.split('(').length < address.split(')').length;
      if (!'.,;:!?\'"'.includes(last) && !unbalanced) return address;
      address = address.slice(0, -1);
    }
  }

  function webAddress(text) {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
    } catch {
      return null;
    }
  }

  // Where a message's click, or a link in its Markdown, may lead: the web, or an e-mail.
  function safeLink(text) {
    try {
      const url = new URL(String(text));
      return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url : null;
    } catch {
      return null;
    }
  }

  // markdown-it, made once: raw HTML stays text, links open in a new tab without telling where
  // from, only safe links are links, and an image is a link to it (or its text), never loaded,
  // so that no message makes the audience's browsers fetch anything.
  let markdown = null;
  function markdownRenderer() {
    if (markdown || typeof window.markdownit !== 'function') return markdown;
    markdown = window.markdownit({ html: false, linkify: true, breaks: true });
    markdown.validateLink = (url) => safeLink(url) !== null;
    const escape = markdown.utils.escapeHtml;
    markdown.renderer.rules.image = (tokens, index) => {
      const token = tokens[index];
      const url = safeLink(token.attrGet('src'));
      const text = escape(token.content || token.attrGet('src') || '');
      return url ? `<a href="${escape(url.href)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
    };
    markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
      tokens[index].attrSet('target', '_blank');
      tokens[index].attrSet('rel', 'noopener noreferrer');
      return self.renderToken(tokens, index, options);
    };
    return markdown;
  }

  function messageText(envelope) {
    const text = String(envelope.data ?? '');
    const renderer = envelope.markdown === true ? markdownRenderer() : null;
    if (renderer) {
      const block = document.createElement('div');
      block.className = 'text markdown';
      block.innerHTML = renderer.render(text);
      return block;
    }
    const paragraph = document.createElement('p');
    paragraph.className = 'text';
    appendTextWithLinks(paragraph, text);
    return paragraph;
  }

  const priorityOf = (envelope) => (Number.isInteger(envelope.priority) && envelope.priority >= 1
    && envelope.priority <= 5 ? envelope.priority : 3);

  function appendTextWithLinks(parent, text) {
    let done = 0;
    for (const match of text.matchAll(AddressPattern)) {
      if (match.index < done) continue;
      const address = trimAddress(match[0]);
      const url = webAddress(address);
      if (!url) continue;
      parent.append(text.slice(done, match.index));
      const link = document.createElement('a');
      link.href = url.href;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      link.textContent = address;
      parent.append(link);
      done = match.index + address.length;
    }
    parent.append(text.slice(done));
  }

  function timeText(ms) {
    const date = Number.isFinite(ms) ? new Date(ms) : new Date();
    return date.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function messageElement(id, envelope) {
    const item = document.createElement('li');
    item.className = 'event';
    if (id !== null) item.dataset.id = String(id);
    item.dataset.priority = String(priorityOf(envelope));
    const meta = document.createElement('div');
    meta.className = 'meta';
    const time = document.createElement('time');
    time.textContent = timeText(envelope.time);
    if (Number.isFinite(envelope.time)) time.dateTime = new Date(envelope.time).toISOString();
    meta.append(time);
    for (const [kind, value] of [['type', envelope.type], ['topic', envelope.topic], ['to', envelope.to ? say('toYou') : '']]) {
      if (!value) continue;
      const tag = document.createElement('span');
      tag.className = 'tag ' + kind;
      tag.textContent = kind === 'topic' ? '#' + value : String(value);
      meta.append(tag);
    }
    // Tags that name an emoji show as it; the others as small chips.
    for (const name of Array.isArray(envelope.tags) ? envelope.tags : []) {
      if (typeof name !== 'string') continue;
      const emoji = Object.hasOwn(window.HeraldEmoji ?? {}, name) ? window.HeraldEmoji[name] : null;
      const tag = document.createElement('span');
      tag.className = emoji ? 'emoji' : 'tag chip';
      tag.textContent = emoji ?? name;
      if (emoji) tag.title = name;
      meta.append(tag);
    }
    if (Number(envelope.revision) > 0) {
      const edited = document.createElement('span');
      edited.className = 'tag edited';
      edited.textContent = say('edited');
      meta.append(edited);
    }
    item.append(meta);
    if (typeof envelope.title === 'string' && envelope.title) {
      const title = document.createElement('h3');
      title.className = 'title';
      title.textContent = envelope.title;
      item.append(title);
    }
    const attachment = attachmentElement(envelope.attachment);
    // In display mode a picture takes the screen, its text a caption below it.
    if (attachment?.classList.contains('picture')) item.classList.add('with-picture');
    item.append(messageText(envelope));
    if (attachment) item.append(attachment);
    // A click URL makes the whole message open it, with the rules of every other link.
    const click = safeLink(envelope.click);
    if (click) {
      const open = document.createElement('a');
      open.className = 'open';
      open.href = click.href;
      open.rel = 'noopener noreferrer';
      open.target = '_blank';
      open.textContent = '↗';
      open.title = say('opensLink', { address: click.href });
      meta.append(open);
      item.classList.add('clickable');
      item.addEventListener('click', (event) => {
        if (!event.target.closest('a') && !getSelection()?.toString()) open.click();
      });
    }
    return item;
  }

  // Where a message's file is: one Herald keeps (it has an expiry) at its path on this page's own
  // origin, whichever address the publisher used; a file elsewhere at its http or https address.
  const FilePathPattern = /^\/file\/[A-Za-z0-9]{24}(\.[A-Za-z0-9]{1,10})?$/;
  function fileAddress(attachment) {
    const url = webAddress(String(attachment.url ?? ''));
    if (!url) return null;
    const kept = Number.isFinite(attachment.expires) && FilePathPattern.test(url.pathname);
    return { url: kept ? new URL(url.pathname, location.origin) : url, kept };
  }

  const ShownTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

  function sizeText(bytes) {
    if (!Number.isFinite(bytes) || bytes <= 0) return '';
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];
    const power = Math.min(units.length - 1, Math.floor(Math.log(bytes) / Math.log(1024)));
    return new Intl.NumberFormat(language, { style: 'unit', unit: units[power], unitDisplay: 'short',
      maximumFractionDigits: power ? 1 : 0 }).format(bytes / 1024 ** power);
  }

  // A file the message carries: a picture Herald keeps is shown, scaled, and opens full size on a
  // tap; any other file is a row with its name and size that downloads it (or opens a file
  // elsewhere); an expired one says so.
  function attachmentElement(attachment) {
    if (!attachment || typeof attachment !== 'object') return null;
    const address = fileAddress(attachment);
    if (!address) return null;
    const name = String(attachment.name || address.url.pathname.split('/').pop() || 'file');
    const expiredRow = () => {
      const row = document.createElement('p');
      row.className = 'file expired';
      row.textContent = say('fileExpired', { name });
      return row;
    };
    if (address.kept && attachment.expires * 1000 <= Date.now()) return expiredRow();
    const link = document.createElement('a');
    link.href = address.url.href;
    link.rel = 'noopener noreferrer';
    if (address.kept && ShownTypes.includes(attachment.type)) {
      link.className = 'picture';
      link.target = '_blank';
      link.title = say('openPicture', { name });
      const picture = document.createElement('img');
      picture.alt = name;
      picture.src = address.url.href;
      picture.decoding = 'async';
      // Gone before its expiry (room was made for newer files): the row says so.
      picture.addEventListener('error', () => link.replaceWith(expiredRow()));
      picture.addEventListener('load', () => {
        if (displayMode) fitLatestMessage();
      });
      link.append(picture);
      return link;
    }
    link.className = 'file';
    if (address.kept) link.download = name;
    else link.target = '_blank';
    const label = document.createElement('span');
    label.className = 'file-name';
    label.textContent = name;
    link.append(label);
    const size = sizeText(attachment.size);
    if (size) {
      const sizeLabel = document.createElement('span');
      sizeLabel.className = 'file-size';
      sizeLabel.textContent = size;
      link.append(sizeLabel);
    }
    return link;
  }

  // Newest first, in id order even when a hand-over between tabs delivers one late.
  function showMessage(id, envelope) {
    let next = ui.events.firstElementChild;
    while (id !== null && next && Number(next.dataset.id) > id) next = next.nextElementSibling;
    ui.events.insertBefore(messageElement(id, envelope), next);
    while (ui.events.childElementCount > MaxShown) ui.events.lastElementChild.remove();
    messagesChanged();
  }

  function removeMessage(id) {
    ui.events.querySelector(`.event[data-id="${id}"]`)?.remove();
    messagesChanged();
  }

  function replaceMessage(id, envelope) {
    ui.events.querySelector(`.event[data-id="${id}"]`)?.replaceWith(messageElement(id, envelope));
    messagesChanged();
  }

  function messagesChanged() {
    ui.empty.hidden = ui.events.childElementCount > 0;
    // In display mode an urgent message takes the screen until a newer one comes.
    root.classList.toggle('urgent', ui.events.firstElementChild?.dataset.priority === '5');
    if (displayMode) fitLatestMessage();
  }

  // Display mode: the latest message as large as the screen allows. The size is set through
  // CSSOM, which the page's Content-Security-Policy (style-src 'self') allows.
  function fitLatestMessage() {
    const text = ui.events.querySelector('.event .text');
    if (!text) return;
    const style = getComputedStyle(ui.main);
    // A title above the text takes its share of the screen.
    const title = text.closest('.event')?.querySelector('.title');
    const titleHeight = title ? title.getBoundingClientRect().height + parseFloat(getComputedStyle(title).marginBottom) : 0;
    const picture = text.closest('.event')?.querySelector('.picture');
    const pictureHeight = picture ? picture.getBoundingClientRect().height : 0;
    const height = ui.main.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - titleHeight
      - pictureHeight;
    const fits = (size) => {
      text.style.fontSize = size + 'px';
      return text.scrollWidth <= text.clientWidth && text.scrollHeight <= height;
    };
    let small = 8;
    let large = Math.max(small, Math.floor(height));
    while (small < large) {
      const middle = Math.ceil((small + large) / 2);
      if (fits(middle)) small = middle;
      else large = middle - 1;
    }
    text.style.fontSize = small + 'px';
  }

  // What this tab has received: each message once, by id, and the newest ones, which it hands to
  // a tab that opens while it leads.
  const SeenLimit = 5000;

  class Inbox {
    constructor() {
      this.seen = new Set();
      this.recent = []; // oldest first
      this.lastEventId = null;
    }

    add(id, envelope) {
      if (id === null) return true;
      if (this.seen.has(id)) return false;
      this.remember(id);
      this.noteId(id);
      let at = this.recent.length;
      while (at > 0 && this.recent[at - 1].id > id) at -= 1;
      this.recent.splice(at, 0, { id, envelope });
      if (this.recent.length > MaxShown) this.recent.shift();
      return true;
    }

    retract(id) {
      this.remember(id);
      this.recent = this.recent.filter((message) => message.id !== id);
    }

    edit(id, envelope) {
      const message = this.recent.find((held) => held.id === id);
      if (message) message.envelope = envelope;
    }

    remember(id) {
      this.seen.add(id);
      if (this.seen.size > SeenLimit) this.seen.delete(this.seen.values().next().value);
    }

    noteId(id) {
      if (Number.isSafeInteger(id) && (this.lastEventId === null || id > this.lastEventId)) this.lastEventId = id;
    }

    // What a tab that opens now should show: what it would get from Herald on its own, the
    // operator's number of recent messages, or, for a tab coming back, everything after its last id.
    handOver(afterId) {
      if (Number.isSafeInteger(afterId)) return this.recent.filter((message) => message.id > afterId);
      return pageHistory > 0 ? this.recent.slice(-pageHistory) : [];
    }

    // Herald lost its history and counts again from lastId: old ids no longer name the same messages.
    restartAt(lastId) {
      this.seen.clear();
      this.recent = [];
      this.lastEventId = lastId;
    }
  }

  const inbox = new Inbox();

  // Tabs with different topics share one stream of all their topics: each shows its own. A
  // message without a topic is for every screen.
  function isForThisTab(envelope) {
    const topic = typeof envelope?.topic === 'string' ? envelope.topic : '';
    return !topic || !settings.topics.length || settings.topics.includes(topic);
  }

  function receiveMessage(id, envelope, { alert }) {
    if (!inbox.add(id, envelope)) return; // held for any tab, whatever its topics
    if (!isForThisTab(envelope)) return;
    showMessage(id, envelope);
    countUnread(id);
    if (alert) alertReader({ urgent: priorityOf(envelope) === 5 });
  }

  function editMessage(id, envelope) {
    inbox.edit(id, envelope);
    replaceMessage(id, envelope);
  }

  function retractMessage(id) {
    inbox.retract(id);
    removeMessage(id);
    forgetUnread(id);
  }

  function applyGap(data) {
    showNotice(say('gap'));
    const asked = Number(data?.lastEventId);
    const lastId = Number(data?.lastId);
    if (Number.isSafeInteger(asked) && Number.isSafeInteger(lastId) && lastId < asked) {
      inbox.restartAt(lastId);
      for (const item of ui.events.children) delete item.dataset.id;
    }
  }

  function showNotice(text) {
    ui.notice.textContent = text;
    ui.notice.hidden = !text;
  }

  // ---- Attention --------------------------------------------------------------------------

  const PageTitle = document.title;
  const unread = new Set();
  let unreadWithoutId = 0;

  function countUnread(id) {
    if (document.visibilityState !== 'hidden') return;
    if (id === null) unreadWithoutId += 1;
    else unread.add(id);
    showUnread();
  }

  function forgetUnread(id) {
    if (unread.delete(id)) showUnread();
  }

  function showUnread() {
    const count = unread.size + unreadWithoutId;
    document.title = count ? `(${count}) ${PageTitle}` : PageTitle;
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    unread.clear();
    unreadWithoutId = 0;
    showUnread();
  });

  const AlertGapMs = 1500; // a burst of messages gets one tone
  let audio = null;
  let lastAlertAt = -Infinity;

  // Browsers start Web Audio only from a gesture on the page, so every tap or key press may unlock it.
  function unlockSound() {
    if (!settings.sound) return;
    const AudioContextType = window.AudioContext || window.webkitAudioContext;
    if (!audio && AudioContextType) audio = new AudioContextType();
    if (audio?.state === 'suspended') audio.resume().catch(() => {});
  }

  const canVibrate = () => typeof navigator.vibrate === 'function' && navigator.userActivation?.hasBeenActive === true;
  const canAlert = () => settings.sound && (audio?.state === 'running' || canVibrate());

  // An urgent message always sounds, even within a burst; the others once a burst.
  function alertReader({ urgent = false } = {}) {
    if (!settings.sound || (!urgent && performance.now() - lastAlertAt < AlertGapMs)) return;
    lastAlertAt = performance.now();
    if (audio?.state === 'running') playTone();
    if (canVibrate()) navigator.vibrate(120);
  }

  function playTone() {
    const start = audio.currentTime;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(880, start);
    oscillator.frequency.setValueAtTime(1320, start + 0.09);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.32);
  }

  for (const gesture of ['pointerdown', 'keydown']) document.addEventListener(gesture, unlockSound, { capture: true });

  // ---- Connection state -------------------------------------------------------------------

  // The operator ended this browser's stream: no tab opens another until the reader asks.
  const isKicked = (connection) => connection.state === 'kicked';
  // The stream ended and will not come back by itself.
  const hasEnded = (connection) => connection.state === 'kicked' || connection.state === 'closed';

  function stateText({ state, attempt, serverStopped }) {
    switch (state) {
    case 'live':
      return settings.topics.length ? say('liveTopics', { topics: settings.topics.join(', ') }) : say('live');
    case 'reconnecting':
      if (serverStopped) return attempt ? say('serverStoppedAttempt', { attempt }) : say('serverStopped');
      return say('reconnecting', { attempt });
    case 'kicked':
    case 'closed':
      return say(state);
    default:
      return say('connecting');
    }
  }

  function showState(connection) {
    const text = stateText(connection);
    if (ui.state.dataset.state === connection.state && ui.state.textContent === text) return; // no repeated announcement
    ui.state.dataset.state = connection.state;
    ui.state.textContent = text;
    ui.state.title = text;
    ui.reconnect.hidden = !hasEnded(connection);
  }

  // One EventSource on /events, and what it hears.
  class Stream {
    constructor(handlers) {
      this.handlers = handlers;
      this.source = null;
      this.attempt = 0;
      this.serverStopped = false;
    }

    // \a topics: every tab's, none for all of them.
    open(resumeAfter, topics) {
      this.close();
      this.topics = topics;
      const params = new URLSearchParams({ client: settings.id, format: 'json' });
      if (settings.name) params.set('name', settings.name);
      for (const topic of topics) params.append('topic', topic);
      // A fresh EventSource cannot send Last-Event-ID itself; the query carries it. Without a last
      // id, the page opens with the operator's number of recent messages.
      if (resumeAfter !== null) params.set('lastEventId', String(resumeAfter));
      else if (pageHistory > 0) params.set('rewind', String(pageHistory));

      this.attempt = 0;
      this.serverStopped = false;
      this.report('connecting');
      const source = new EventSource('/events?' + params.toString());
      this.source = source;
      source.onopen = () => {
        this.attempt = 0;
        this.serverStopped = false;
        this.report('live');
        if (resumeAfter === null) this.learnWhereHeraldIs();
      };
      source.onerror = () => {
        if (source.readyState === EventSource.CONNECTING) {
          this.attempt += 1;
          this.report('reconnecting');
        } else {
          this.source = null;
          this.report('closed');
        }
      };
      source.onmessage = (event) => {
        const id = /^\d+$/.test(event.lastEventId) ? Number(event.lastEventId) : null;
        let envelope;
        try { envelope = JSON.parse(event.data); } catch { envelope = null; }
        if (typeof envelope !== 'object' || envelope === null) envelope = { data: event.data };
        this.handlers.message(id, envelope);
      };
      source.addEventListener('herald-gap', (event) => this.handlers.gap(parseJson(event.data)));
      source.addEventListener('herald-retract', (event) => {
        const id = parseJson(event.data)?.id;
        if (Number.isSafeInteger(id)) this.handlers.retract(id);
      });
      source.addEventListener('herald-edit', (event) => {
        const envelope = parseJson(event.data);
        if (Number.isSafeInteger(envelope?.id)) this.handlers.edit(envelope.id, envelope);
      });
      source.addEventListener('herald-kicked', () => {
        this.close();
        this.report('kicked');
      });
      source.addEventListener('herald-shutdown', () => {
        this.serverStopped = true;
        this.report('reconnecting');
      });
    }

    close() {
      this.source?.close();
      this.source = null;
    }

    report(state) {
      this.handlers.state({ state, attempt: this.attempt, serverStopped: this.serverStopped });
    }

    // A stream opened without a last id knows no id to resume from until a message arrives.
    // Herald's newest id at this moment is one, should another tab have to take over before then.
    learnWhereHeraldIs() {
      fetch('/api/stats', { cache: 'no-store' })
        .then((response) => (response.ok ? response.json() : null))
        .then((stats) => {
          if (inbox.lastEventId === null && Number.isSafeInteger(stats?.lastId)) inbox.noteId(stats.lastId);
        })
        .catch(() => { /* the stream works without it */ });
    }
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch { return null; }
  }

  // ---- The page as an app (in a secure context) ------------------------------------------

  // Installable, and shown by Herald's own page when Herald cannot be reached (see sw.js).
  function registerServiceWorker() {
    if (!window.isSecureContext || !('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/sw.js').then(
      () => { root.dataset.serviceWorker = 'registered'; },
      () => { /* the page works without it */ });
  }

  // Display mode keeps a lobby screen on with a Screen Wake Lock, asked for again whenever the
  // page is visible again (the browser lets go of it while the page is hidden). <html> says how it
  // went: data-wake-lock="held", or "refused" (a battery saver, say: the screen may dim).
  let wakeLock = null;
  async function holdWakeLock() {
    if (!displayMode || !('wakeLock' in navigator) || wakeLock || document.visibilityState !== 'visible') return;
    root.dataset.wakeLockAsked = String(Number(root.dataset.wakeLockAsked || 0) + 1);
    try {
      wakeLock = await navigator.wakeLock.request('screen');
      root.dataset.wakeLock = 'held';
      wakeLock.addEventListener('release', () => {
        wakeLock = null;
        delete root.dataset.wakeLock;
      });
    } catch {
      root.dataset.wakeLock = 'refused';
    }
  }

  // Opt-in system notifications, asked for on a click and never on load, for the messages that
  // arrive while no tab of the page is visible.
  const canNotify = () => window.isSecureContext && 'Notification' in window;

  function setUpNotifications() {
    if (!canNotify()) return;
    ui.notifyRow.hidden = false;
    ui.notify.checked = settings.notify && Notification.permission === 'granted';
    ui.notify.addEventListener('change', async () => {
      settings.notify = ui.notify.checked;
      if (settings.notify && Notification.permission !== 'granted')
        settings.notify = (await Notification.requestPermission()) === 'granted';
      ui.notify.checked = settings.notify;
      storage.set('herald.notify', settings.notify ? 'on' : 'off');
    });
  }

  function notify(id, envelope) {
    if (!canNotify() || !settings.notify || Notification.permission !== 'granted') return;
    const title = typeof envelope?.title === 'string' && envelope.title ? envelope.title : 'Herald';
    const options = { body: String(envelope?.data ?? '').slice(0, 300), tag: 'herald-' + (id ?? randomHex(4)), icon: '/icon-192.png' };
    // Phones show them only through the service worker; elsewhere the page may show them itself.
    const byThePage = () => new Notification(title, options);
    const shown = (navigator.serviceWorker?.getRegistration() ?? Promise.resolve(null))
      .then((registration) => (registration ? registration.showNotification(title, options) : byThePage()))
      .catch(byThePage);
    shown.then(() => { root.dataset.notified = String(Number(root.dataset.notified || 0) + 1); }, () => {});
  }

  // ---- One stream per browser -------------------------------------------------------------

  const HeartbeatMs = 1000; // how often each tab says it is there (background tabs wake once a second)
  const QuietMs = 1500;     // a tab this quiet is asked whether it is still there
  const LeaseMs = 2500;     // a tab this quiet that did not answer is gone
  const AnswerMs = 500;     // how long an asked tab has to answer
  const FirstLookMs = 1200; // how long a new tab listens for a leader before it leads: past a heartbeat

  // Seniority decides who leads: the tab that joined first, then the smaller tab id.
  const isSenior = (a, b) => a.joinedAt < b.joinedAt || (a.joinedAt === b.joinedAt && a.id < b.id);

  // The tabs of this page in one browser share one stream, whatever their topics: it asks for all
  // of their topics (or for everything, when one tab wants everything), and each tab shows its own.
  // When a tab comes with a topic the stream lacks, the stream opens again with it, resuming after
  // the last id, so that no message is missed or shown twice. One tab leads: it holds the
  // EventSource and relays what it hears over BroadcastChannel. Where the browser offers Web Locks
  // (on HTTPS), a lock elects it: the tab holding it leads, and the next tab waiting for it has it
  // the moment the leader goes, even one that crashed. Elsewhere (plain http) the most senior tab
  // leads, by heartbeats. Without BroadcastChannel, each tab holds its own stream.
  class TabGroup {
    constructor(key) {
      this.id = randomHex(8);
      this.key = key;
      this.useLocks = false;
      this.channel = 'BroadcastChannel' in window ? new BroadcastChannel('herald.tabs.1:' + key) : null;
      this.leaderRecordKey = 'herald.leader:' + key;
      if (this.channel) this.channel.onmessage = (event) => this.hear(event.data);
      this.peers = new Map();
      this.topics = settings.topics;
      this.joined = false;
      this.leading = false;
      this.looking = false;
      this.freshPage = true;
      this.askedAt = -Infinity;
      this.connection = { state: 'connecting', attempt: 0, serverStopped: false };
      this.stream = new Stream({
        message: (id, envelope) => {
          const alertTab = this.pickAlertTab(envelope);
          this.post({ kind: 'message', id, envelope, alertTab });
          receiveMessage(id, envelope, { alert: alertTab === this.id });
          if (!this.anyTabVisible()) notify(id, envelope);
        },
        gap: (data) => {
          this.post({ kind: 'gap', data });
          applyGap(data);
        },
        retract: (id) => {
          this.post({ kind: 'retract', id });
          retractMessage(id);
        },
        edit: (id, envelope) => {
          this.post({ kind: 'edit', id, envelope });
          editMessage(id, envelope);
        },
        state: (connection) => {
          this.connection = connection;
          this.post({ kind: 'state', connection });
          showState(connection);
        },
      });
    }

    join() {
      if (this.joined) return;
      this.joined = true;
      this.joinedAt = Date.now();
      this.topics = settings.topics;
      this.peers.clear();
      if (!isKicked(this.connection)) this.connection = { state: 'connecting', attempt: 0, serverStopped: false };
      showState(this.connection);
      if (!this.channel) {
        this.lead();
        return;
      }
      setRole('follower');
      this.looking = true;
      this.post({
        kind: 'hello', joinedAt: this.joinedAt, lastEventId: inbox.lastEventId, freshPage: this.freshPage, topics: this.topics,
      });
      this.freshPage = false;
      this.heartbeat = setInterval(() => this.beat(), HeartbeatMs);
      if (navigator.locks) {
        this.useLocks = true;
        this.looking = false;
        this.waitForLock();
        return;
      }
      if (!this.someoneLeads()) {
        this.looking = false;
        this.elect();
        return;
      }
      this.lookTimer = setTimeout(() => {
        this.looking = false;
        this.elect();
      }, FirstLookMs);
    }

    // The browser hands the lock to one tab at a time, in the order they asked: that tab leads
    // until it leaves (or is gone), and the next takes over.
    waitForLock() {
      this.lockRequest = new AbortController();
      navigator.locks.request('herald.stream:' + this.key, { signal: this.lockRequest.signal }, () => {
        if (!this.joined) return undefined;
        this.lead();
        return new Promise((release) => { this.releaseLock = release; });
      }).catch(() => { /* given up on leaving */ });
    }

    anyTabVisible() {
      return document.visibilityState === 'visible' || [...this.peers.values()].some((peer) => peer.visible);
    }

    // The leader's note in localStorage, which a new tab reads at once: a lone tab then connects
    // without waiting to hear from others.
    someoneLeads() {
      const record = parseJson(storage.get(this.leaderRecordKey));
      return Number.isFinite(record?.at) && Date.now() - record.at < LeaseMs && record.id !== this.id;
    }

    noteLeading() {
      if (!this.channel) return;
      if (this.leading) storage.set(this.leaderRecordKey, JSON.stringify({ id: this.id, at: Date.now() }));
      else if (parseJson(storage.get(this.leaderRecordKey))?.id === this.id) storage.remove(this.leaderRecordKey);
    }

    // Before the tab goes away or is frozen: the others take over at once instead of waiting for
    // its heartbeats to stop.
    leave() {
      if (!this.joined) return;
      this.joined = false;
      clearTimeout(this.lookTimer);
      clearInterval(this.heartbeat);
      this.stream.close();
      this.leading = false;
      this.lockRequest?.abort();
      this.releaseLock?.();
      this.releaseLock = null;
      this.noteLeading();
      this.post({ kind: 'leaving', lastEventId: inbox.lastEventId });
    }

    close() {
      this.leave();
      this.channel?.close();
    }

    // The reader asked to connect again after the operator or Herald ended the stream.
    reconnect() {
      this.connection = { state: 'connecting', attempt: 0, serverStopped: false };
      showState(this.connection);
      this.post({ kind: 'reconnect' });
      if (this.leading) this.stream.open(inbox.lastEventId, this.wantedTopics());
    }

    lead() {
      this.leading = true;
      setRole(this.channel ? 'leader' : 'solo');
      this.noteLeading();
      this.post(this.presence());
      if (!isKicked(this.connection)) this.stream.open(inbox.lastEventId, this.wantedTopics());
    }

    // Every topic some tab shows; none when some tab shows everything.
    wantedTopics() {
      const lists = [this.topics, ...[...this.peers.values()].map((peer) => peer.topics)];
      if (lists.some((topics) => !topics.length)) return [];
      return [...new Set(lists.flat())].sort();
    }

    // The leader's stream follows the tabs' topics: one that needs a topic it lacks opens again.
    followTopics() {
      if (!this.leading || !this.stream.source || isKicked(this.connection)) return;
      const wanted = this.wantedTopics();
      const current = this.stream.topics || [];
      const missing = current.length && (!wanted.length || wanted.some((topic) => !current.includes(topic)));
      if (missing) this.stream.open(inbox.lastEventId, wanted);
    }

    stepDown() {
      this.stream.close();
      this.leading = false;
      setRole('follower');
      this.noteLeading();
      this.post(this.presence());
    }

    presence() {
      return {
        kind: 'presence',
        joinedAt: this.joinedAt,
        leading: this.leading,
        lastEventId: inbox.lastEventId,
        connection: this.leading ? this.connection : null,
        visible: document.visibilityState === 'visible',
        canAlert: canAlert(),
        topics: this.topics,
      };
    }

    post(message) {
      if (this.channel) this.channel.postMessage({ ...message, from: this.id });
    }

    beat() {
      this.noteLeading();
      this.post(this.presence());
      this.forgetSilentPeers();
      this.elect();
    }

    // A background tab's timers may be throttled to a wake-up a minute, so a quiet tab is asked
    // first and counted gone only when it did not answer; answering needs no timer.
    forgetSilentPeers() {
      const now = Date.now();
      let ask = false;
      for (const [id, peer] of this.peers) {
        if (now - peer.lastSeen < QuietMs) continue;
        const askedSince = this.askedAt > peer.lastSeen;
        if (askedSince && now - peer.lastSeen >= LeaseMs && now - this.askedAt >= AnswerMs) this.peers.delete(id);
        else if (!askedSince) ask = true;
      }
      if (ask) {
        this.askedAt = now;
        this.post({ kind: 'ping' });
      }
    }

    elect() {
      if (!this.joined || !this.channel || this.useLocks) return;
      const me = { id: this.id, joinedAt: this.joinedAt };
      const peers = [...this.peers.values()];
      if (this.leading) {
        // Two tabs took the lead at once: the junior one gives way.
        if (peers.some((peer) => peer.leading && isSenior(peer, me))) this.stepDown();
        return;
      }
      if (this.looking || peers.some((peer) => peer.leading)) return;
      if (!peers.some((peer) => isSenior(peer, me))) this.lead();
    }

    // One tab sounds the tone for a message: of those that show it, a visible one if it can, else
    // the most senior that can.
    pickAlertTab(envelope) {
      const topic = typeof envelope?.topic === 'string' ? envelope.topic : '';
      const shows = (topics) => !topic || !topics.length || topics.includes(topic);
      const tabs = [...this.peers.values()].filter((peer) => peer.canAlert && shows(peer.topics));
      if (canAlert() && isForThisTab(envelope)) tabs.push({ id: this.id, joinedAt: this.joinedAt, visible: document.visibilityState === 'visible' });
      tabs.sort((a, b) => (b.visible - a.visible) || (isSenior(a, b) ? -1 : 1));
      return tabs.length ? tabs[0].id : null;
    }

    hear(message) {
      if (typeof message !== 'object' || message === null || typeof message.from !== 'string') return;
      // Messages are shown even while this tab is not joined, as when it is frozen and resumed.
      switch (message.kind) {
      case 'message':
        if (isRelayedMessage(message)) receiveMessage(message.id, message.envelope, { alert: message.alertTab === this.id });
        break;
      case 'gap':
        applyGap(message.data);
        break;
      case 'retract':
        if (Number.isSafeInteger(message.id)) retractMessage(message.id);
        break;
      case 'edit':
        if (Number.isSafeInteger(message.id) && typeof message.envelope === 'object' && message.envelope !== null)
          editMessage(message.id, message.envelope);
        break;
      case 'handover':
        if (message.to === this.id && Array.isArray(message.messages)) {
          for (const held of message.messages.filter(isRelayedMessage)) receiveMessage(held.id, held.envelope, { alert: false });
          inbox.noteId(message.lastEventId);
        }
        break;
      }
      if (this.joined) this.hearAsMember(message);
    }

    hearAsMember(message) {
      const peer = this.peers.get(message.from);
      if (peer) peer.lastSeen = Date.now();
      switch (message.kind) {
      case 'hello':
      case 'presence':
        this.peers.set(message.from, {
          id: message.from,
          joinedAt: Number(message.joinedAt),
          leading: message.leading === true,
          visible: message.visible === true,
          canAlert: message.canAlert === true,
          topics: Array.isArray(message.topics) ? message.topics.filter((topic) => typeof topic === 'string') : [],
          lastSeen: Date.now(),
        });
        this.followTopics();
        inbox.noteId(message.lastEventId);
        if (message.kind === 'hello') this.welcome(message);
        else if (message.leading && !this.leading && message.connection) this.follow(message.connection);
        this.elect();
        break;
      case 'state':
        if (peer?.leading && !this.leading) this.follow(message.connection);
        break;
      case 'ping':
        this.post(this.presence());
        break;
      case 'leaving':
        this.peers.delete(message.from);
        inbox.noteId(message.lastEventId);
        this.elect();
        break;
      case 'reconnect':
        this.connection = { state: 'connecting', attempt: 0, serverStopped: false };
        showState(this.connection);
        if (this.leading) this.stream.open(inbox.lastEventId, this.wantedTopics());
        break;
      }
    }

    welcome(hello) {
      this.post(this.presence());
      if (!this.leading) return;
      this.post({ kind: 'handover', to: hello.from, messages: inbox.handOver(hello.lastEventId), lastEventId: inbox.lastEventId });
      // A page opened anew connects, as a reload did when each tab had its own stream.
      if (hello.freshPage && hasEnded(this.connection)) this.reconnect();
    }

    follow(connection) {
      this.connection = connection;
      showState(connection);
    }
  }

  const isRelayedMessage = (message) => (message.id === null || Number.isSafeInteger(message.id))
    && typeof message.envelope === 'object' && message.envelope !== null;

  function setRole(role) {
    root.dataset.streamRole = role;
  }

  // Tabs share a stream when they are the same reader: one client id and name, whatever their
  // topics. (Two tabs opened at the same moment in a new browser may each make up a client id;
  // they keep a stream each until reloaded.)
  const groupKey = () => JSON.stringify([settings.id, settings.name]);

  // ---- Publishing from this page ----------------------------------------------------------

  function setUpComposer() {
    if (!canPublish || displayMode) return;
    ui.composer.hidden = false;
    ui.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      publish();
    });
    ui.composeText.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        ui.composeSend.click(); // submits through the form's checks
      }
    });
  }

  // A message as JSON; with a photo, the photo as the body and the rest in the query, as an
  // upload is sent (a header could not carry the text's every character).
  function publishRequest() {
    const type = ui.composeType.value.trim();
    const topic = ui.composeTopic.value.trim();
    const photo = ui.composeFile.files?.[0];
    if (photo) {
      const query = new URLSearchParams({ filename: photo.name || 'photo.jpg', message: ui.composeText.value });
      if (type) query.set('event', type);
      if (topic) query.set('topic', topic);
      return { url: '/publish?' + query, type: photo.type || 'application/octet-stream', body: photo };
    }
    const body = { data: ui.composeText.value };
    if (type) body.event = type;
    if (topic) body.topic = topic;
    return { url: '/publish', type: 'application/json', body: JSON.stringify(body) };
  }

  async function publish() {
    const request = publishRequest();
    ui.composeSend.disabled = true;
    showComposeStatus('sending', say('sending'));
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'Content-Type': request.type },
        body: request.body,
        credentials: 'same-origin',
        cache: 'no-store',
      });
      const answer = await response.json().catch(() => null);
      if (response.ok) {
        ui.composeText.value = '';
        ui.composeFile.value = '';
        const count = answer?.delivered ?? 0;
        showComposeStatus('sent', say(count === 1 ? 'sentToOne' : 'sent', { count }));
      } else {
        const reason = typeof answer?.error === 'string' && answer.error ? answer.error : say('refused', { status: response.status });
        showComposeStatus('refused', reason);
      }
    } catch {
      showComposeStatus('failed', say('unreachable'));
    } finally {
      ui.composeSend.disabled = false;
    }
  }

  function showComposeStatus(outcome, text) {
    ui.composeStatus.dataset.outcome = outcome;
    ui.composeStatus.textContent = text;
  }

  // ---- The page ---------------------------------------------------------------------------

  translatePage();
  if (displayMode) {
    document.body.classList.add('display');
    addEventListener('resize', fitLatestMessage);
  }
  ui.name.value = settings.name;
  ui.topics.value = settings.topics.join(', ');
  ui.sound.checked = settings.sound;
  setUpComposer();
  setUpNotifications();
  registerServiceWorker();
  holdWakeLock();
  document.addEventListener('visibilitychange', holdWakeLock);

  let group = new TabGroup(groupKey());

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    settings.name = ui.name.value.trim();
    settings.topics = parseTopics(ui.topics.value);
    ui.topics.value = settings.topics.join(', ');
    storage.set('herald.name', settings.name);
    storage.set('herald.topics', settings.topics.join(','));
    group.close();
    group = new TabGroup(groupKey());
    group.join();
  });
  ui.sound.addEventListener('change', () => {
    settings.sound = ui.sound.checked;
    storage.set('herald.sound', settings.sound ? 'on' : 'off');
    unlockSound();
    if (settings.sound && audio) audio.resume().then(playTone, () => {}); // so the reader hears what it sounds like
  });
  ui.reconnect.addEventListener('click', () => {
    showNotice('');
    group.reconnect();
  });
  ui.clear.addEventListener('click', () => {
    ui.events.replaceChildren();
    messagesChanged();
  });

  // A closed or frozen tab hands the stream on at once; back again, it joins as the newest tab.
  addEventListener('pagehide', () => group.leave());
  addEventListener('pageshow', (event) => { if (event.persisted) group.join(); });
  document.addEventListener('freeze', () => group.leave());
  document.addEventListener('resume', () => group.join());

  group.join();
})();
