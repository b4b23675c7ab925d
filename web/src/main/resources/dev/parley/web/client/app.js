// Parley's browser client: the wire protocol of docs/protocol.md over the WebSocket at /ws.
// User data (messages, nicks, topics, file names) is only ever put into the page as text (textContent).
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  const HISTORY_PAGE = 50;
  const CHUNK_BYTES = 64 * 1024;
  const UPLOAD_WINDOW = 4;

  // ---- the wire format ----

  function parse(line) {
    let pos = 0;
    const n = line.length;
    while (pos < n && line[pos] === ' ') pos++;
    if (pos === n) return null;
    const tags = {};
    if (line[pos] === '@') {
      const end = line.indexOf(' ', pos);
      if (end < 0) return null;
      for (const tag of line.substring(pos + 1, end).split(';')) {
        const eq = tag.indexOf('=');
        if (eq < 0) tags[tag] = ''; else tags[tag.substring(0, eq)] = tag.substring(eq + 1);
      }
      pos = end;
      while (pos < n && line[pos] === ' ') pos++;
    }
    let end = line.indexOf(' ', pos);
    if (end < 0) end = n;
    const verb = line.substring(pos, end).toUpperCase();
    const params = [];
    let trailing = null;
    pos = end;
    while (pos < n) {
      while (pos < n && line[pos] === ' ') pos++;
      if (pos >= n) break;
      if (line[pos] === ':') { trailing = line.substring(pos + 1); break; }
      end = line.indexOf(' ', pos);
      if (end < 0) end = n;
      params.push(line.substring(pos, end));
      pos = end;
    }
    return { tags, verb, params, trailing };
  }

  // No line breaks or other controls may travel in a line.
  const clean = (text) => String(text).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const token = (text) => clean(text).replace(/ /g, '_');

  function format(verb, params, trailing, tags) {
    let line = '';
    const keys = Object.keys(tags || {});
    if (keys.length) line = '@' + keys.map((k) => tags[k] === '' ? k : k + '=' + tags[k]).join(';') + ' ';
    line += verb;
    for (const p of params || []) line += ' ' + token(p);
    if (trailing !== undefined && trailing !== null) line += ' :' + clean(trailing);
    return line;
  }

  // ---- SHA-256: the browser's where it has one (secure contexts), else this small implementation ----

  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function sha256Js(bytes) {
    const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const bitLength = bytes.length * 8;
    const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
    view.setUint32(padded.length - 4, bitLength >>> 0);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let off = 0; off < padded.length; off += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    return Array.from(h, (x) => x.toString(16).padStart(8, '0')).join('');
  }

  async function sha256(bytes) {
    if (window.crypto && crypto.subtle) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    }
    return sha256Js(bytes);
  }

  // ---- the link: one WebSocket at a time, commands matched to replies by id, RESUME after a loss ----

  class Link {
    constructor(app) {
      this.app = app;
      this.ws = null;
      this.nextId = 1;
      this.pending = [];       // commands not answered yet, in the order issued
      this.awaiting = null;    // a line whose payload (the next binary message) is due
      this.lastSeq = 0;
      this.resumeToken = null;
      this.ready = false;      // registered (or resumed): queued commands may go
      this.backoff = 500;
      this.connect();
    }

    connect() {
      const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      this.ws = ws;
      this.ready = false;
      this.awaiting = null;
      this.app.status('connecting', 'connecting…');
      ws.onmessage = (ev) => { if (this.ws === ws) this.received(ev.data); };
      ws.onclose = () => { if (this.ws === ws) this.lost(); };
    }

    lost() {
      this.ready = false;
      for (let i = this.pending.length - 1; i >= 0; i--) {
        const p = this.pending[i];
        if (p.retry) {
          p.sent = false;
          p.data = [];
        } else {
          this.pending.splice(i, 1);
          p.resolve({ ok: false, code: 'DISCONNECTED', frame: null, data: [] });
        }
      }
      const wait = this.backoff / 2 + Math.random() * this.backoff / 2;
      this.backoff = Math.min(this.backoff * 2, 30000);
      this.app.status('offline', 'reconnecting in ' + Math.ceil(wait / 1000) + 's');
      setTimeout(() => this.connect(), wait);
    }

    /** Drops the connection as a network loss would (for trying RESUME by hand). */
    drop() {
      if (this.ws) this.ws.close();
    }

    received(data) {
      if (typeof data !== 'string') {
        const frame = this.awaiting;
        this.awaiting = null;
        if (frame) {
          frame.payload = new Uint8Array(data);
          this.dispatch(frame);
        }
        return;
      }
      const frame = parse(data);
      if (!frame) return;
      if (+(frame.tags.size || 0) > 0) {
        this.awaiting = frame;
        return;
      }
      this.dispatch(frame);
    }

    dispatch(f) {
      if (f.tags.seq) this.lastSeq = Math.max(this.lastSeq, +f.tags.seq);
      if ((f.verb === 'OK' || f.verb === 'ERR') && f.tags.id !== undefined) {
        const i = this.pending.findIndex((p) => String(p.id) === f.tags.id);
        if (i >= 0) {
          const p = this.pending.splice(i, 1)[0];
          p.resolve({ ok: f.verb === 'OK', code: f.verb === 'ERR' ? f.params[1] : null, frame: f, data: p.data });
        }
        return;
      }
      if (f.verb === 'HELLO') { this.hello(f); return; }
      if (f.verb === 'PING') { this.ws.send(format('PONG', f.params)); return; }
      const head = this.pending.find((p) => p.sent);
      if (head && head.collects && head.collects(f)) {
        head.data.push(f);
        if (head.onData) head.onData(f);
        return;
      }
      this.app.event(f);
    }

    async hello(f) {
      this.backoff = 500;
      this.app.hello(f);
      // A server that requires authentication refuses RESUME and NICK before AUTH: log in again first.
      const login = this.app.me ? this.app.credentials : null;
      if (login) {
        const a = await this.command('AUTH', [login.user], login.pass, { early: true, retry: false });
        if (!a.ok) {
          this.app.status('offline', 'could not log in again: ' + (a.frame ? a.frame.trailing || a.code : a.code));
          return;
        }
      }
      if (this.resumeToken) {
        this.app.status('connecting', 'resuming…');
        const r = await this.command('RESUME', [this.resumeToken, String(this.lastSeq)], null, { early: true });
        if (r.ok) {
          this.resumeToken = r.frame.params[2] || null;
          this.online();
          return;
        }
        this.resumeToken = null;
        if (await this.app.registerAgain()) this.online();
        return;
      }
      this.app.status('online', 'connected');
      this.app.showLogin();
    }

    online() {
      this.ready = true;
      this.app.status('online', 'connected');
      this.flush();
    }

    /**
     * Sends a command; resolves with {ok, code, frame, data} once its final reply came. Commands wait for
     * registration (unless early) and are sent again after a RESUME when their reply was lost (retry).
     */
    command(verb, params, trailing, opts = {}) {
      return new Promise((resolve) => {
        const p = Object.assign({ id: this.nextId++, verb, params, trailing, data: [], sent: false,
          retry: true, resolve }, opts);
        this.pending.push(p);
        this.flush();
      });
    }

    flush() {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      for (const p of this.pending) {
        if (p.sent || !(this.ready || p.early)) continue;
        const tags = { id: String(p.id) };
        if (p.payload) tags.size = String(p.payload.length);
        this.ws.send(format(p.verb, p.params, p.trailing, tags));
        if (p.payload) this.ws.send(p.payload);
        p.sent = true;
      }
    }
  }

  // ---- the application ----

  const app = {
    me: null,
    conversations: new Map(), // key (lower case) -> conversation
    current: null,
    link: null,

    status(state, text) {
      const s = $('status');
      s.dataset.state = state;
      s.textContent = text;
    },

    hello(f) {
      $('title').textContent = f.params[0] || 'Parley';
      $('greeting').textContent = 'Connected to ' + (f.params[0] || '?') + ' (Parley ' + (f.params[2] || '?')
        + ', protocol ' + (f.params[1] || '?') + ')' + (f.trailing ? ' with ' + f.trailing : '');
    },

    showLogin() {
      if (this.me) { this.registerAgain().then((ok) => { if (ok) this.link.online(); }); return; }
      this.account = null;
      this.credentials = null;
      $('login').hidden = false;
      $('chat').hidden = true;
      $('nick').focus();
    },

    async login(ev) {
      ev.preventDefault();
      const error = $('login-error');
      error.textContent = '';
      const user = $('login-user').value.trim();
      const pass = $('login-pass').value;
      if (user && !this.account) {
        const creating = $('register').checked && !$('register-choice').hidden;
        const auth = await this.link.command(creating ? 'REGISTER' : 'AUTH', [user], pass, { early: true, retry: false });
        if (!auth.ok) {
          error.textContent = (creating ? 'Account not created: ' : 'Login failed: ')
            + (auth.frame ? auth.frame.trailing || auth.code : auth.code);
          return;
        }
        this.account = auth.frame.params[1] || user;
        // Kept in this page only, to log in again after a network loss (as the CLI's link does).
        this.credentials = { user: this.account, pass };
        $('login-pass').value = '';
      }
      const nick = $('nick').value.trim();
      const r = await this.link.command('NICK', [nick], null, { early: true, retry: false });
      if (!r.ok) { error.textContent = r.frame ? r.frame.trailing || r.code : 'not connected'; return; }
      this.registered(r);
      $('logout').hidden = false;
      if (window.Notification && Notification.permission === 'default') Notification.requestPermission();
      $('login').hidden = true;
      $('chat').hidden = false;
      this.link.online();
      this.refreshRooms();
      $('line').focus();
    },

    /** Ends the session for good (QUIT), forgets it and its conversations, and offers the login again. */
    async logout() {
      await this.link.command('QUIT', [], 'logged out', { retry: false });
      this.me = null;
      this.account = null;
      this.credentials = null;
      this.link.resumeToken = null;
      this.link.lastSeq = 0;
      this.conversations.clear();
      this.current = null;
      $('conversations').replaceChildren();
      $('messages').replaceChildren();
      $('rooms').replaceChildren();
      $('transfers').replaceChildren();
      $('logout').hidden = true;
      $('login-error').textContent = '';
      $('chat').hidden = true;
      $('login').hidden = false;
    },

    registered(r) {
      this.me = r.frame.params[1];
      this.link.resumeToken = r.frame.params[2] || null;
    },

    /** After a RESUME the server refused: the same nick again, and every room joined again. */
    async registerAgain() {
      const r = await this.link.command('NICK', [this.me], null, { early: true, retry: false });
      if (!r.ok) {
        this.system(this.current, 'could not take the nick ' + this.me + ' back: ' + (r.frame ? r.frame.trailing : r.code));
        return false;
      }
      this.registered(r);
      for (const c of this.conversations.values()) {
        if (c.room) this.link.command('JOIN', [c.name], null, { early: true });
      }
      return true;
    },

    conversation(name, create = true) {
      const key = name.toLowerCase();
      let c = this.conversations.get(key);
      if (!c && create) {
        c = { name, room: name.startsWith('#'), unread: 0, messages: el('div', 'log'), seen: new Set(),
          oldest: null, historyDone: false, loading: false, marker: null, item: el('li') };
        c.item.dataset.conversation = name;
        c.item.append(el('span', 'name', name), el('span', 'unread'));
        c.item.onclick = () => this.select(c);
        $('conversations').append(c.item);
        this.conversations.set(key, c);
      }
      return c;
    },

    select(c) {
      if (this.current && this.current.marker && this.current !== c) {
        this.current.marker.remove();
        this.current.marker = null;
      }
      this.current = c;
      for (const li of $('conversations').children) li.classList.toggle('active', li === c.item);
      $('conv-name').textContent = c.name;
      $('conv-topic').textContent = c.topic || '';
      $('part').hidden = !c.room;
      $('who').hidden = !c.room;
      $('members').hidden = true;
      const box = $('messages');
      box.replaceChildren(c.messages);
      c.unread = 0;
      this.showUnread(c);
      box.scrollTop = box.scrollHeight;
      document.body.classList.remove('show-sidebar');
    },

    showUnread(c) {
      c.item.querySelector('.unread').textContent = c.unread ? String(c.unread) : '';
    },

    visible(c) {
      return c === this.current && !document.hidden;
    },

    /** Adds a message line; older ones (history) go on top. */
    add(c, m, older = false) {
      if (m.msgid && c.seen.has(m.msgid)) return;
      if (m.msgid) {
        c.seen.add(m.msgid);
        if (c.oldest === null || +m.msgid < c.oldest) c.oldest = +m.msgid;
      }
      const line = el('div', 'msg' + (m.kind ? ' ' + m.kind : ''));
      if (m.msgid) line.dataset.msgid = m.msgid;
      const time = m.time ? new Date(m.time) : new Date();
      line.append(el('span', 'time', time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
      line.title = time.toLocaleString();
      if (m.nick) line.append(el('span', 'nick', m.nick));
      line.append(el('span', 'text', m.text));
      if (m.extra) line.append(m.extra);
      const mention = !m.self && this.me && m.nick && new RegExp('(^|\\W)' + this.me.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        + '(\\W|$)', 'i').test(m.text);
      if (m.self) line.classList.add('self');
      if (mention) line.classList.add('mention');
      const box = $('messages');
      const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
      if (older) {
        const before = box.scrollHeight;
        c.messages.prepend(line);
        if (c === this.current) box.scrollTop += box.scrollHeight - before;
        return;
      }
      if (!m.self && !m.quiet && !this.visible(c)) {
        if (!c.marker) {
          c.marker = el('div', 'new-marker', 'new messages');
          c.messages.append(c.marker);
        }
        c.unread++;
        this.showUnread(c);
      }
      c.messages.append(line);
      if (c === this.current && (atBottom || m.self)) box.scrollTop = box.scrollHeight;
      if (mention && document.hidden && window.Notification && Notification.permission === 'granted') {
        new Notification(m.nick + ' in ' + c.name, { body: m.text });
      }
    },

    system(c, text) {
      if (c) this.add(c, { text, kind: 'system', quiet: true });
    },

    async join(name) {
      const r = await this.link.command('JOIN', [name], null);
      if (!r.ok) { this.system(this.current, 'cannot join ' + name + ': ' + (r.frame ? r.frame.trailing : r.code)); return; }
      const c = this.conversation(r.frame.params[1] || name);
      this.select(c);
      const topic = await this.link.command('TOPIC', [c.name], null);
      if (topic.ok) { c.topic = topic.frame.trailing || ''; if (c === this.current) $('conv-topic').textContent = c.topic; }
      await this.loadOlder(c);
    },

    /** One more page of a room's history: HISTORY <#room> BEFORE <msgid> n, or HISTORY <#room> n on servers without it. */
    async loadOlder(c) {
      if (!c.room || c.loading || c.historyDone) return;
      c.loading = true;
      const room = c.name.toLowerCase();
      const collects = (f) => f.verb === 'MSG' && f.tags.seq === undefined && (f.params[0] || '').toLowerCase() === room;
      let r;
      let all = false;
      if (c.oldest !== null && !c.noBefore) {
        r = await this.link.command('HISTORY', [c.name, 'BEFORE', String(c.oldest), String(HISTORY_PAGE)], null, { collects });
        if (!r.ok && r.code === 'BAD_ARGUMENT') c.noBefore = true;
      }
      if (c.oldest === null || c.noBefore) {
        all = c.oldest !== null;
        const n = c.oldest === null ? HISTORY_PAGE : c.seen.size + HISTORY_PAGE;
        r = await this.link.command('HISTORY', [c.name, String(n)], null, { collects });
      }
      c.loading = false;
      if (!r.ok) return;
      const older = r.data.filter((f) => c.oldest === null || +f.tags.msgid < c.oldest);
      if (c.oldest === null) {
        for (const f of older) this.add(c, this.fromMsg(f, true));
      } else {
        for (let i = older.length - 1; i >= 0; i--) this.add(c, this.fromMsg(older[i], true), true);
      }
      if (r.data.length === 0 || (all && older.length === 0) || (c.oldest !== null && c.oldest <= 1)) {
        c.historyDone = true;
        c.messages.prepend(el('div', 'history-end', 'beginning of ' + c.name));
      }
    },

    fromMsg(f, quiet) {
      return { msgid: f.tags.msgid, time: f.tags.time, nick: f.params[1], text: f.trailing || '', quiet,
        self: f.params[1] === this.me };
    },

    async say(text) {
      const c = this.current;
      if (!c || !text) return;
      if (c.marker) { c.marker.remove(); c.marker = null; }
      if (c.room) {
        this.add(c, { nick: this.me, text, self: true });
        const r = await this.link.command('SAY', [c.name], text);
        if (!r.ok) this.system(c, 'not sent: ' + (r.frame ? r.frame.trailing : r.code));
      } else {
        this.add(c, { nick: this.me, text, self: true });
        const r = await this.link.command('TELL', [c.name], text);
        if (!r.ok) this.system(c, 'not sent: ' + (r.frame ? r.frame.trailing : r.code));
      }
    },

    async refreshRooms() {
      const r = await this.link.command('ROOMS', [], null, { collects: (f) => f.verb === 'ROOM' });
      const list = $('rooms');
      list.replaceChildren();
      for (const f of r.data) {
        const li = el('li');
        li.dataset.room = f.params[0];
        li.append(el('span', 'name', f.params[0]), el('span', 'count', f.params[1]));
        if (f.trailing) li.title = f.trailing;
        li.onclick = () => this.join(f.params[0]);
        list.append(li);
      }
    },

    async who() {
      const c = this.current;
      if (!c || !c.room) return;
      const r = await this.link.command('WHO', [c.name], null, { collects: (f) => f.verb === 'MEMBER' });
      const list = $('members');
      list.replaceChildren(...r.data.map((f) => el('li', null, f.params[1])));
      list.hidden = false;
    },

    async part() {
      const c = this.current;
      if (!c || !c.room) return;
      await this.link.command('PART', [c.name], null);
      this.conversations.delete(c.name.toLowerCase());
      c.item.remove();
      this.current = null;
      $('messages').replaceChildren();
      const next = this.conversations.values().next().value;
      if (next) this.select(next);
      this.refreshRooms();
    },

    transfer(label) {
      const row = el('div', 'transfer');
      const bar = el('progress');
      bar.max = 1;
      bar.value = 0;
      const text = el('span', 'label', label);
      row.append(text, bar);
      $('transfers').append(row);
      return { row, bar, text };
    },

    async sendFile(file) {
      const c = this.current;
      if (!c || !file) return;
      const t = this.transfer('sending ' + file.name);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const sha = await sha256(bytes);
      const offer = await this.link.command('OFFER', [c.name, file.name || 'file', String(bytes.length), sha], null,
        { retry: false });
      if (!offer.ok) { t.text.textContent = 'not sent: ' + (offer.frame ? offer.frame.trailing : offer.code); return; }
      const id = offer.frame.params[1];
      let offset = +offer.frame.params[2];
      const inFlight = [];
      while (offset < bytes.length) {
        const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES));
        inFlight.push(this.link.command('CHUNK', [id, String(offset)], null, { payload: chunk, retry: false }));
        offset += chunk.length;
        if (inFlight.length >= UPLOAD_WINDOW) {
          const r = await inFlight.shift();
          if (!r.ok) { t.text.textContent = 'upload failed: ' + (r.frame ? r.frame.trailing || r.code : r.code); return; }
          t.bar.value = +r.frame.params[2] / bytes.length;
        }
      }
      for (const pending of inFlight) {
        const r = await pending;
        if (!r.ok) { t.text.textContent = 'upload failed: ' + (r.frame ? r.frame.trailing || r.code : r.code); return; }
        t.bar.value = +r.frame.params[2] / bytes.length;
      }
      t.row.dataset.done = 'sent';
      t.text.textContent = 'sent ' + file.name;
      this.system(c, 'you sent the file ' + file.name + ' (' + bytes.length + ' bytes)');
    },

    offered(f) {
      const [id, from, size, sha] = f.params;
      const name = f.trailing || 'file';
      const box = el('span', 'file');
      const button = el('button', 'download', 'Download');
      button.type = 'button';
      button.dataset.file = id;
      button.onclick = () => this.fetchFile(id, name, +size, sha, box, button);
      box.append(button);
      const c = this.current || this.conversation(from);
      this.add(c, { nick: from, text: 'offers ' + name + ' (' + size + ' bytes)', extra: box });
    },

    async fetchFile(id, name, size, sha, box, button) {
      button.disabled = true;
      const t = this.transfer('receiving ' + name);
      const parts = [];
      let received = 0;
      const r = await this.link.command('FETCH', [id], null, {
        retry: false,
        collects: (f) => f.verb === 'CHUNK' && f.params[0] === id,
        onData: (f) => { parts.push(f.payload); received += f.payload.length; t.bar.value = received / size; }
      });
      if (!r.ok) { t.text.textContent = 'download failed: ' + (r.frame ? r.frame.trailing || r.code : r.code); button.disabled = false; return; }
      const bytes = new Uint8Array(received);
      let at = 0;
      for (const p of parts) { bytes.set(p, at); at += p.length; }
      const actual = await sha256(bytes);
      if (actual !== sha.toLowerCase()) { t.text.textContent = 'download of ' + name + ' is corrupt'; button.disabled = false; return; }
      const link = el('a', 'saved', 'Save ' + name);
      link.href = URL.createObjectURL(new Blob([bytes]));
      link.download = name;
      link.dataset.sha256 = actual;
      box.replaceChildren(link);
      t.row.dataset.done = 'received';
      t.text.textContent = 'received ' + name + ' (' + received + ' bytes, SHA-256 verified)';
      t.bar.value = 1;
    },

    /** Events that are not part of a command's answer. */
    event(f) {
      const p = f.params;
      switch (f.verb) {
        case 'MSG': {
          const c = this.conversation(p[0]);
          this.add(c, this.fromMsg(f, false));
          break;
        }
        case 'WHISPER': {
          const c = this.conversation(p[0]);
          this.add(c, { nick: p[0], text: f.trailing || '', time: f.tags.time });
          break;
        }
        case 'JOINED': this.system(this.conversation(p[0], false), p[1] + ' joined'); break;
        case 'LEFT': this.system(this.conversation(p[0], false), p[1] + ' left' + (f.trailing ? ' (' + f.trailing + ')' : '')); break;
        case 'KICKED': this.system(this.conversation(p[0], false), p[1] + ' was kicked by ' + p[2] + (f.trailing ? ': ' + f.trailing : '')); break;
        case 'RENAMED':
          for (const c of this.conversations.values()) if (c.room) this.system(c, p[0] + ' is now ' + p[1]);
          break;
        case 'TOPIC': {
          const c = this.conversation(p[0], false);
          if (c) {
            c.topic = f.trailing || '';
            if (c === this.current) $('conv-topic').textContent = c.topic;
            this.system(c, p[1] + ' set the topic: ' + c.topic);
          }
          break;
        }
        case 'NOTICE': this.add(this.current || this.conversation('server'), { nick: p[0], text: f.trailing || '', kind: 'notice' }); break;
        case 'FILE': this.offered(f); break;
        case 'BYE': this.status('offline', 'server said ' + p[0] + (f.trailing ? ': ' + f.trailing : '')); break;
        default: break;
      }
    },

    start() {
      this.link = new Link(this);
      $('login').onsubmit = (ev) => this.login(ev);
      $('compose').onsubmit = (ev) => {
        ev.preventDefault();
        const text = $('line').value;
        $('line').value = '';
        this.say(text);
      };
      $('join-form').onsubmit = (ev) => {
        ev.preventDefault();
        const name = $('join-input').value.trim();
        $('join-input').value = '';
        if (!name) return;
        if (name.startsWith('#')) this.join(name); else this.select(this.conversation(name));
      };
      $('refresh-rooms').onclick = () => this.refreshRooms();
      $('logout').onclick = () => this.logout();
      // Account creation is offered only where anyone may create one (parley.auth.registration = open).
      fetch('client.json').then((r) => r.json()).then((settings) => {
        $('register-choice').hidden = !settings.selfRegistration;
      }).catch(() => {});
      $('who').onclick = () => this.who();
      $('part').onclick = () => this.part();
      $('menu').onclick = () => document.body.classList.toggle('show-sidebar');
      $('file-input').onchange = (ev) => { const f = ev.target.files[0]; ev.target.value = ''; this.sendFile(f); };
      $('messages').addEventListener('scroll', () => {
        if ($('messages').scrollTop < 30 && this.current) this.loadOlder(this.current);
      });
      document.addEventListener('visibilitychange', () => {
        if (!document.hidden && this.current) { this.current.unread = 0; this.showUnread(this.current); }
      });
      window.parley = this; // for the console (and the browser test): parley.link.drop() tries a RESUME
    }
  };

  app.start();
})();
