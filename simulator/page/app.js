// The phone page of the WeChat simulator: chat as one WeChat user at a time.
// Everything it shows comes from the simulator's ui/ endpoints; the live part is one
// Server-Sent Events stream per selected user. Plain script, no build step.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const els = {
    accountName: $('account-name'),
    typing: $('typing'),
    userSelect: $('user-select'),
    addUser: $('btn-add-user'),
    toolsBtn: $('btn-tools'),
    tools: $('tools'),
    mode: $('mode'),
    modeHint: $('mode-hint'),
    openid: $('openid'),
    notices: $('notices'),
    noticeLatest: $('notice-latest'),
    noticeList: $('notice-list'),
    noticeClose: $('notice-close'),
    smsBanner: $('sms-banner'),
    smsBannerText: $('sms-banner-text'),
    smsBannerClose: $('sms-banner-close'),
    chat: $('chat'),
    submenu: $('submenu'),
    menuBar: $('menu-bar'),
    menuButtons: $('menu-buttons'),
    inputBar: $('input-bar'),
    toMenu: $('to-menu'),
    toInput: $('to-input'),
    text: $('text'),
    send: $('btn-send'),
    toast: $('toast'),
    webview: $('webview'),
    webviewTitle: $('webview-title'),
    webviewFrame: $('webview-frame'),
    webviewNewtab: $('webview-newtab'),
    webviewClose: $('webview-close'),
  };

  const state = {
    config: { accountName: '公众号', canEncrypt: false, mode: 'plain' },
    users: [],
    openid: localStorage.getItem('sim_current') || '',
    menu: [],
    /** entries of the current user, by id */
    entries: new Map(),
    lastRenderedAt: 0,
    source: null,
    typingTimer: 0,
  };

  // ── HTTP ───────────────────────────────────────────────────────────────
  async function api(path, body) {
    const res = await fetch(path, body === undefined ? {} : {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error || `请求失败：${res.status}`);
    return json;
  }

  function mode() {
    return state.config.canEncrypt ? els.mode.value : 'plain';
  }

  /** Sends a push through the simulator; failures also arrive in the chat as system lines. */
  async function push(path, body) {
    try {
      const result = await api(path, { openid: state.openid, mode: mode(), ...body });
      if (result.push && !result.push.ok && result.push.message) toast(result.push.message);
      return result;
    } catch (err) {
      toast(err.message);
      return undefined;
    }
  }

  // ── users ──────────────────────────────────────────────────────────────
  async function loadUsers() {
    const { users } = await api('ui/users');
    state.users = users;
    if (!users.some((u) => u.openid === state.openid)) state.openid = users[0] ? users[0].openid : '';
    renderUsers();
  }

  function renderUsers() {
    els.userSelect.replaceChildren(
      ...state.users.map((u) => {
        const opt = document.createElement('option');
        opt.value = u.openid;
        opt.textContent = u.subscribe ? u.nickname : `${u.nickname}（未关注）`;
        opt.selected = u.openid === state.openid;
        return opt;
      }),
    );
    els.openid.textContent = state.openid;
  }

  function currentUser() {
    return state.users.find((u) => u.openid === state.openid);
  }

  async function selectUser(openid) {
    state.openid = openid;
    localStorage.setItem('sim_current', openid);
    setCookie(openid);
    renderUsers();
    api('ui/select', { openid }).catch(() => {});
    await openTimeline();
  }

  function setCookie(openid) {
    // The simulated OAuth reads the current WeChat user from this cookie.
    document.cookie = `sim_openid=${encodeURIComponent(openid)}; path=/; SameSite=Lax`;
  }

  // ── timeline ───────────────────────────────────────────────────────────
  async function openTimeline() {
    if (state.source) state.source.close();
    state.entries.clear();
    state.lastRenderedAt = 0;
    els.chat.replaceChildren();
    setTyping(false);
    if (!state.openid) return;
    const openid = state.openid;
    // Stream first, then history: entries are merged by id, so none is lost or doubled.
    const source = new EventSource(`ui/events?openid=${encodeURIComponent(openid)}`);
    state.source = source;
    source.addEventListener('timeline', (e) => addEntries([JSON.parse(e.data).entry]));
    source.addEventListener('notice', (e) => addNotice(JSON.parse(e.data).notice, true));
    // Each WeChat user's phone shows its own SMS: the list is reloaded for the user now selected.
    loadNotices(openid).catch(() => {});
    source.addEventListener('menu', (e) => renderMenu(JSON.parse(e.data).menu));
    source.addEventListener('users', () => loadUsers().catch(() => {}));
    source.addEventListener('typing', (e) => setTyping(JSON.parse(e.data).typing));
    const { entries } = await api(`ui/history?openid=${encodeURIComponent(openid)}`);
    if (state.openid === openid) addEntries(entries);
  }

  function addEntries(list) {
    const fresh = list.filter((e) => e.openid === state.openid && !state.entries.has(e.id));
    if (fresh.length === 0) return;
    for (const e of fresh) state.entries.set(e.id, e);
    const maxShown = Math.max(0, ...[...els.chat.querySelectorAll('[data-id]')].map((n) => Number(n.dataset.id)));
    if (fresh.some((e) => e.id < maxShown)) {
      // An older entry arrived late: redraw in id order.
      els.chat.replaceChildren();
      state.lastRenderedAt = 0;
      [...state.entries.values()].sort((a, b) => a.id - b.id).forEach(renderEntry);
    } else {
      fresh.sort((a, b) => a.id - b.id).forEach(renderEntry);
    }
    if (fresh.some((e) => e.from === 'account')) setTyping(false);
    els.chat.scrollTop = els.chat.scrollHeight;
  }

  function renderEntry(e) {
    if (e.at - state.lastRenderedAt > 5 * 60 * 1000) els.chat.append(timeLabel(e.at));
    state.lastRenderedAt = e.at;
    els.chat.append(e.from === 'system' ? systemLine(e) : messageRow(e));
  }

  function timeLabel(at) {
    const div = document.createElement('div');
    div.className = 'time-label';
    const d = new Date(at);
    const sameDay = d.toDateString() === new Date().toDateString();
    div.textContent = sameDay
      ? d.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    return div;
  }

  function systemLine(e) {
    const div = document.createElement('div');
    div.className = `sys${e.kind === 'error' ? ' error' : ''}`;
    div.dataset.id = e.id;
    const span = document.createElement('span');
    span.textContent = e.text;
    div.append(span);
    if (e.detail) {
      const d = document.createElement('span');
      d.className = 'detail';
      d.textContent = e.detail;
      div.append(d);
    }
    return div;
  }

  function messageRow(e) {
    const row = document.createElement('div');
    row.className = `msg ${e.from === 'user' ? 'right' : 'left'} via-${e.via} kind-${e.kind}`;
    row.dataset.id = e.id;
    row.append(avatar(e.from === 'user'));
    if (e.kind === 'news' && e.articles && e.articles.length) row.append(newsCard(e.articles));
    else if (e.kind === 'template') row.append(templateCard(e));
    else row.append(bubble(e));
    return row;
  }

  function avatar(isUser) {
    const div = document.createElement('div');
    div.className = 'avatar';
    const user = currentUser();
    if (isUser && user) div.style.backgroundImage = `url("${user.headimgurl}")`;
    else div.textContent = Array.from(state.config.accountName)[0] || '公';
    return div;
  }

  function bubble(e) {
    const div = document.createElement('div');
    div.className = 'bubble';
    if (e.kind === 'error') div.classList.add('unavailable');
    appendRichText(div, e.text);
    if (e.detail && e.kind !== 'image') {
      const d = document.createElement('span');
      d.className = 'detail';
      d.textContent = e.detail;
      div.append(d);
    }
    return div;
  }

  /**
   * WeChat text messages may hold <a href="…">…</a>; a weixin://bizmsgmenu link sends
   * its msgmenucontent as the user's reply. Everything else is plain text.
   */
  function appendRichText(parent, text) {
    const re = /<a\s+[^>]*href\s*=\s*(["'])(.*?)\1[^>]*>(.*?)<\/a>|(https?:\/\/[^\s<>"']+)/gi;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      parent.append(document.createTextNode(decodeEntities(text.slice(last, m.index))));
      const href = decodeEntities(m[2] || m[4]);
      const a = document.createElement('a');
      a.href = '#';
      a.textContent = decodeEntities(m[3] !== undefined ? m[3].replace(/<[^>]*>/g, '') : m[4]);
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        followLink(href);
      });
      parent.append(a);
      last = m.index + m[0].length;
    }
    parent.append(document.createTextNode(decodeEntities(text.slice(last))));
  }

  function decodeEntities(s) {
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }

  function followLink(href) {
    if (href.startsWith('weixin://bizmsgmenu')) {
      const content = new URLSearchParams(href.split('?')[1] || '').get('msgmenucontent');
      if (content) sendText(content);
      return;
    }
    if (/^https?:\/\//i.test(href)) openWebview(href);
  }

  function newsCard(articles) {
    const wrap = document.createElement('div');
    wrap.className = 'cards';
    for (const a of articles) {
      const card = document.createElement('div');
      card.className = 'card';
      if (a.picurl) {
        const pic = document.createElement('div');
        pic.className = 'card-pic';
        pic.style.backgroundImage = `url("${a.picurl.replace(/"/g, '%22')}")`;
        card.append(pic);
      }
      card.append(textDiv('card-title', a.title));
      if (a.description) card.append(textDiv('card-desc', a.description));
      if (a.url) card.addEventListener('click', () => openWebview(a.url));
      wrap.append(card);
    }
    return wrap;
  }

  // As WeChat shows a template message: title and date, the first line, labelled rows, the remark, 详情.
  function templateCard(e) {
    // The platform renders every template entry (simulator/templates.ts), unknown templates too.
    const t = e.template;
    const card = document.createElement('div');
    card.className = 'card template-card';
    card.dataset.testid = 'template-card';
    card.append(textDiv('card-title', t.title));
    card.append(textDiv('tpl-date', new Date(e.at).toLocaleDateString('zh-CN', { month: 'long', day: 'numeric' })));
    if (t.first) card.append(textDiv('tpl-first', t.first));
    for (const r of t.rows) {
      const row = document.createElement('div');
      row.className = 'card-row';
      const label = document.createElement('span');
      label.className = 'tpl-label';
      label.textContent = r.label;
      const value = document.createElement('span');
      value.className = 'tpl-value';
      value.textContent = r.value;
      row.append(label, value);
      card.append(row);
    }
    if (t.remark) card.append(textDiv('tpl-remark', t.remark));
    if (e.url) {
      card.append(textDiv('card-foot', '详情'));
      card.addEventListener('click', () => openWebview(e.url));
    } else {
      card.style.cursor = 'default';
    }
    return card;
  }

  function textDiv(className, text) {
    const div = document.createElement('div');
    div.className = className;
    div.textContent = text;
    return div;
  }

  function setTyping(on) {
    clearTimeout(state.typingTimer);
    els.typing.hidden = !on;
    // WeChat shows "typing" for at most 15 s without a new Typing command.
    if (on) state.typingTimer = setTimeout(() => (els.typing.hidden = true), 15000);
  }

  // ── sending ────────────────────────────────────────────────────────────
  async function sendText(text) {
    if (!state.openid || !text) return;
    await push('ui/send', { text });
  }

  els.inputBar.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = els.text.value.trim();
    if (!text) return;
    els.text.value = '';
    sendText(text);
    els.text.focus();
  });

  // ── menu ───────────────────────────────────────────────────────────────
  function renderMenu(menu) {
    state.menu = (menu && menu.button) || [];
    hideSubmenu();
    els.menuButtons.replaceChildren(
      ...state.menu.map((b) => {
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.textContent = b.name;
        if (b.sub_button && b.sub_button.length) {
          btn.classList.add('group');
          btn.addEventListener('click', () => toggleSubmenu(btn, b.sub_button));
        } else {
          btn.addEventListener('click', () => menuAction(b));
        }
        return btn;
      }),
    );
    const hasMenu = state.menu.length > 0;
    els.toMenu.hidden = !hasMenu;
    showMenuBar(hasMenu);
  }

  function showMenuBar(on) {
    els.menuBar.hidden = !on;
    els.inputBar.hidden = on;
    if (!on) hideSubmenu();
  }

  function toggleSubmenu(btn, subs) {
    const wasOpen = btn.classList.contains('open');
    hideSubmenu();
    if (wasOpen) return;
    btn.classList.add('open');
    els.submenu.replaceChildren(
      ...subs.map((s) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = s.name;
        b.addEventListener('click', () => {
          hideSubmenu();
          menuAction(s);
        });
        return b;
      }),
    );
    els.submenu.hidden = false;
    const phone = $('phone').getBoundingClientRect();
    const r = btn.getBoundingClientRect();
    const width = Math.max(r.width - 8, 120);
    els.submenu.style.width = `${width}px`;
    els.submenu.style.left = `${Math.min(Math.max(r.left - phone.left + (r.width - width) / 2, 4), phone.width - width - 4)}px`;
  }

  function hideSubmenu() {
    els.submenu.hidden = true;
    els.menuButtons.querySelectorAll('.open').forEach((n) => n.classList.remove('open'));
  }

  function menuAction(button) {
    if (!state.openid) return;
    if (button.type === 'click') {
      push('ui/click', { key: button.key });
    } else if (button.type === 'view') {
      // WeChat opens the page at once and sends the VIEW event alongside.
      setCookie(state.openid);
      push('ui/view', { url: button.url });
      openWebview(button.url, button.name);
    }
  }

  els.toInput.addEventListener('click', () => {
    showMenuBar(false);
    els.text.focus();
  });
  els.toMenu.addEventListener('click', () => showMenuBar(true));
  els.chat.addEventListener('click', hideSubmenu);

  // ── web view ───────────────────────────────────────────────────────────
  function openWebview(url, title) {
    hideSmsBanner();
    setCookie(state.openid);
    els.webviewTitle.textContent = title || url;
    els.webviewNewtab.href = url;
    els.webviewFrame.src = url;
    els.webview.hidden = false;
  }

  els.webviewClose.addEventListener('click', () => {
    hideSmsBanner();
    els.webview.hidden = true;
    els.webviewFrame.src = 'about:blank';
  });

  // ── notices (simulated SMS / e-mail) ────────────────────────────────────
  const seenNotices = new Set();
  let smsBannerTimer = 0;

  async function loadNotices(openid) {
    const { notices } = await api(`ui/notices?openid=${encodeURIComponent(openid)}`);
    if (state.openid !== openid) return;
    seenNotices.clear();
    els.noticeList.replaceChildren();
    els.notices.hidden = true;
    for (const n of notices) addNotice(n, false);
  }

  function hideSmsBanner() {
    clearTimeout(smsBannerTimer);
    els.smsBanner.hidden = true;
  }

  function addNotice(n, fresh) {
    if (seenNotices.has(n.id)) return;
    seenNotices.add(n.id);
    els.notices.hidden = false;
    els.noticeLatest.textContent = n.text;
    const li = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = new Date(n.at).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    li.append(time, document.createTextNode(n.text));
    els.noticeList.prepend(li);
    while (els.noticeList.children.length > 20) els.noticeList.lastChild.remove();
    if (fresh) {
      els.noticeLatest.classList.remove('flash');
      void els.noticeLatest.offsetWidth;
      els.noticeLatest.classList.add('flash');
      // Over an open web page the SMS shows once, as a strip under its bar, for 12 s.
      if (!els.webview.hidden) {
        els.smsBannerText.textContent = n.text;
        els.smsBanner.hidden = false;
        clearTimeout(smsBannerTimer);
        smsBannerTimer = setTimeout(hideSmsBanner, 12_000);
      }
    }
  }

  els.noticeLatest.addEventListener('animationend', () => els.noticeLatest.classList.remove('flash'));
  els.noticeClose.addEventListener('click', () => {
    els.notices.hidden = true;
    els.noticeList.hidden = true;
  });
  els.smsBannerClose.addEventListener('click', hideSmsBanner);

  els.noticeLatest.addEventListener('click', () => {
    els.noticeList.hidden = !els.noticeList.hidden;
  });

  // ── tools ──────────────────────────────────────────────────────────────
  els.toolsBtn.addEventListener('click', () => {
    els.tools.hidden = !els.tools.hidden;
    els.toolsBtn.setAttribute('aria-expanded', String(!els.tools.hidden));
  });
  els.mode.addEventListener('change', () => localStorage.setItem('sim_mode', els.mode.value));
  els.tools.querySelectorAll('[data-event]').forEach((btn) =>
    btn.addEventListener('click', () => push('ui/event', { event: btn.dataset.event })),
  );
  els.userSelect.addEventListener('change', () => selectUser(els.userSelect.value));
  els.addUser.addEventListener('click', async () => {
    els.addUser.disabled = true;
    try {
      const { user } = await api('ui/users', { mode: mode() });
      // Select the new user in the same render that lists it, so the list never shows it unselected.
      state.openid = user.openid;
      await loadUsers();
      await selectUser(user.openid);
    } catch (err) {
      toast(err.message);
    } finally {
      els.addUser.disabled = false;
    }
  });

  let toastTimer = 0;
  function toast(text) {
    els.toast.textContent = text;
    els.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (els.toast.hidden = true), 2500);
  }

  // ── start ──────────────────────────────────────────────────────────────
  async function start() {
    state.config = await api('ui/config');
    els.accountName.textContent = state.config.accountName;
    document.title = `${state.config.accountName} · 微信模拟器`;
    els.mode.value = localStorage.getItem('sim_mode') || state.config.mode;
    if (!state.config.canEncrypt) {
      els.mode.value = 'plain';
      els.mode.disabled = true;
      els.modeHint.hidden = false;
    }
    const [menu] = await Promise.all([api('ui/menu'), loadUsers()]);
    renderMenu(menu);
    if (state.openid) await selectUser(state.openid);
  }

  start().catch((err) => toast(`模拟器加载失败：${err.message}`));
})();
