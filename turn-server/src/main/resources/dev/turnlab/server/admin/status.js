// The live status page: fetches /status every few seconds and redraws without reloading. Every value from
// the server goes into the page as text (textContent, title), never as HTML: user names are the client's.
'use strict';
(function () {
  const REFRESH_MS = 5000;
  const PAGE_SIZE = 50;
  const TOKEN_KEY = 'turnlab-admin-token';

  const state = {
    status: null, // the last /status document
    previous: null, // the one before it, for rates
    sortKey: 'created',
    sortDescending: false,
    page: 0,
    timer: null,
  };

  const $ = (id) => document.getElementById(id);

  function text(id, value) {
    $(id).textContent = value;
  }

  // ---- figures -------------------------------------------------------------------------------------------

  function duration(seconds) {
    if (!Number.isFinite(seconds)) return '—';
    const s = Math.max(0, Math.round(seconds));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const r = s % 60;
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + m + 'm';
    if (m > 0) return m + 'm ' + r + 's';
    return r + 's';
  }

  function scaled(value, units, step) {
    let i = 0;
    while (Math.abs(value) >= step && i < units.length - 1) {
      value /= step;
      i++;
    }
    return (i === 0 ? String(Math.round(value)) : value.toFixed(value < 10 ? 2 : 1)) + ' ' + units[i];
  }

  const bytes = (n) => scaled(n, ['B', 'kB', 'MB', 'GB', 'TB'], 1000);
  const bits = (n) => scaled(n, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'], 1000);
  const count = (n) => (n === undefined || n === null ? '—' : Number(n).toLocaleString('en'));

  // Seconds between two ISO instants of the server's clock: the page never compares with its own clock.
  const between = (from, to) => (Date.parse(to) - Date.parse(from)) / 1000;

  // Packets and bits per second each way between the previous and the last snapshot; null before there are
  // two, or when the counters went back (a restart).
  function rates(previous, last) {
    if (!previous) return null;
    const seconds = between(previous.time, last.time);
    const a = previous.totals.relayed;
    const b = last.totals.relayed;
    const rate = (key) => (b[key] - a[key]) / seconds;
    const r = {
      packetsToPeer: rate('packetsToPeer'),
      bitsToPeer: rate('bytesToPeer') * 8,
      packetsToClient: rate('packetsToClient'),
      bitsToClient: rate('bytesToClient') * 8,
    };
    return seconds > 0 && Object.values(r).every((v) => v >= 0) ? r : null;
  }

  // ---- fetching ------------------------------------------------------------------------------------------

  async function refresh() {
    clearTimeout(state.timer);
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    try {
      const response = await fetch('status', { headers: headers, cache: 'no-store' });
      if (response.status === 401) {
        askForToken(token !== null);
        return; // no timer: the form resumes refreshing
      }
      if (!response.ok) throw new Error('/status answered ' + response.status);
      const status = await response.json();
      state.previous = state.status;
      state.status = status;
      $('error').hidden = true;
      draw();
    } catch (e) {
      $('error').hidden = false;
      text('error', 'Cannot read /status: ' + e.message + ' (retrying every ' + REFRESH_MS / 1000 + ' s)');
    }
    state.timer = setTimeout(refresh, REFRESH_MS);
  }

  function askForToken(rejected) {
    if (rejected) sessionStorage.removeItem(TOKEN_KEY);
    $('login').hidden = false;
    $('error').hidden = false;
    text('error', rejected ? 'The token was refused (401).' : 'The admin listener asks for a token (401).');
    $('token').focus();
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    $('login').hidden = true;
    refresh();
  });

  // ---- drawing -------------------------------------------------------------------------------------------

  function draw() {
    const s = state.status;
    const t = s.totals;
    text('server', s.realm + ' · turnlab ' + s.version + ' · ' + s.profile + ' profile · io ' + s.ioTransport + ' · up ' + duration(s.uptimeSeconds));
    text('updated', 'updated ' + new Date(Date.parse(s.time)).toLocaleTimeString('en-GB') + ', every ' + REFRESH_MS / 1000 + ' s');
    $('updated').title = s.time;

    $('draining').hidden = !s.draining;
    const faults = s.faults || [];
    $('faults').hidden = faults.length === 0;
    text('faults', 'Lab faults on: ' + faults.join(', '));
    drawTls(s);

    text('allocations', count(t.allocationsActive));
    text('peak', count(t.allocationsPeak));
    const range = s.relay.portMax - s.relay.portMin + 1;
    text('ports', count(s.relay.portsInUse) + ' / ' + count(range));
    text('portRange', 'ports ' + s.relay.portMin + '–' + s.relay.portMax + ', ' + count(s.relay.portsFree) + ' free');
    const used = range > 0 ? s.relay.portsInUse / range : 0;
    $('portBar').style.width = Math.min(100, used * 100).toFixed(1) + '%';
    $('portBar').classList.toggle('full', used >= 0.9);

    const r = rates(state.previous, s);
    text('toPeerBits', r ? bits(r.bitsToPeer) : '—');
    text('toClientBits', r ? bits(r.bitsToClient) : '—');
    text('toPeerPackets', r ? count(Math.round(r.packetsToPeer)) + ' packets/s · ' + bytes(t.relayed.bytesToPeer) + ' total'
      : bytes(t.relayed.bytesToPeer) + ' total');
    text('toClientPackets', r ? count(Math.round(r.packetsToClient)) + ' packets/s · ' + bytes(t.relayed.bytesToClient) + ' total'
      : bytes(t.relayed.bytesToClient) + ' total');

    drawUsers(s.allocations);
    drawAllocations();
  }

  function drawTls(s) {
    const tls = s.tls;
    $('tls').hidden = !tls;
    if (!tls) return;
    const left = between(s.time, tls.expires);
    $('tls').className = 'alert' + (left < 0 ? ' bad' : left < 14 * 86400 ? ' warn' : '');
    text('tls', 'TLS certificate ' + tls.subject + (left < 0 ? ' expired ' + duration(-left) + ' ago' : ' expires in ' + duration(left))
      + (tls.reloadFailures > 0 ? ' · ' + tls.reloadFailures + ' failed reloads' : ''));
    $('tls').title = tls.expires;
  }

  function cell(row, value, options) {
    const td = document.createElement('td');
    td.textContent = value;
    td.title = (options && options.title) || value;
    if (options && options.numeric) td.className = 'n';
    row.appendChild(td);
    return td;
  }

  function drawUsers(allocations) {
    const users = new Map();
    for (const a of allocations) {
      const u = users.get(a.username) || { allocations: 0, toPeer: 0, toClient: 0 };
      u.allocations++;
      u.toPeer += a.traffic.bytesToPeer;
      u.toClient += a.traffic.bytesToClient;
      users.set(a.username, u);
    }
    const rows = [...users.entries()].sort((x, y) => y[1].allocations - x[1].allocations || x[0].localeCompare(y[0]));
    const body = document.createElement('tbody');
    for (const [name, u] of rows) {
      const tr = document.createElement('tr');
      cell(tr, name);
      cell(tr, count(u.allocations), { numeric: true });
      cell(tr, bytes(u.toPeer), { numeric: true, title: u.toPeer + ' bytes' });
      cell(tr, bytes(u.toClient), { numeric: true, title: u.toClient + ' bytes' });
      body.appendChild(tr);
    }
    $('users').replaceChild(body, $('users').tBodies[0]);
  }

  // The value an allocation is sorted by in each column.
  const SORT = {
    id: (a) => a.id,
    username: (a) => a.username,
    transport: (a) => a.transport,
    client: (a) => a.client,
    relayed: (a) => a.relayed.join(' '),
    created: (a) => Date.parse(a.created),
    expires: (a) => Date.parse(a.expires),
    peers: (a) => a.permissions.length,
    bytesToPeer: (a) => a.traffic.bytesToPeer,
    bytesToClient: (a) => a.traffic.bytesToClient,
  };

  function visibleAllocations() {
    const user = $('filterUser').value.trim().toLowerCase();
    const client = $('filterClient').value.trim().toLowerCase();
    const key = SORT[state.sortKey];
    const sign = state.sortDescending ? -1 : 1;
    return state.status.allocations
      .filter((a) => a.username.toLowerCase().includes(user) && a.client.toLowerCase().includes(client))
      .sort((x, y) => {
        const a = key(x);
        const b = key(y);
        return sign * (typeof a === 'number' ? a - b : String(a).localeCompare(String(b)));
      });
  }

  function drawAllocations() {
    if (!state.status) return;
    const s = state.status;
    const all = visibleAllocations();
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const first = state.page * PAGE_SIZE;
    const body = document.createElement('tbody');
    for (const a of all.slice(first, first + PAGE_SIZE)) {
      const tr = document.createElement('tr');
      tr.dataset.id = a.id;
      cell(tr, a.id);
      cell(tr, a.username);
      cell(tr, a.transport);
      cell(tr, a.client, { title: a.client + ' → ' + a.server });
      cell(tr, a.relayed.join(' '));
      cell(tr, duration(between(a.created, s.time)), { numeric: true, title: a.created });
      cell(tr, duration(between(s.time, a.expires)), { numeric: true, title: a.expires });
      const channels = a.channels.map((c) => '0x' + c.number.toString(16).toUpperCase() + ' ' + c.peer);
      cell(tr, String(a.permissions.length), { numeric: true,
        title: 'permissions: ' + (a.permissions.join(' ') || 'none') + '\nchannels: ' + (channels.join(' ') || 'none') });
      cell(tr, bytes(a.traffic.bytesToPeer), { numeric: true, title: a.traffic.packetsToPeer + ' packets, ' + a.traffic.bytesToPeer + ' bytes' });
      cell(tr, bytes(a.traffic.bytesToClient), { numeric: true, title: a.traffic.packetsToClient + ' packets, ' + a.traffic.bytesToClient + ' bytes' });
      body.appendChild(tr);
    }
    const table = $('allocationTable');
    table.replaceChild(body, table.tBodies[0]);
    const total = s.allocations.length;
    text('count', all.length === total ? '(' + total + ')' : '(' + all.length + ' of ' + total + ')');
    text('pageInfo', all.length === 0 ? 'none' : (first + 1) + '–' + Math.min(all.length, first + PAGE_SIZE) + ' of ' + all.length
      + ' · page ' + (state.page + 1) + ' of ' + pages);
    $('previous').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
    for (const th of table.tHead.rows[0].cells) {
      const sorted = th.dataset.key === state.sortKey;
      if (sorted) th.setAttribute('aria-sort', state.sortDescending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }

  // ---- controls ------------------------------------------------------------------------------------------

  for (const th of $('allocationTable').tHead.rows[0].cells) {
    th.querySelector('button').addEventListener('click', () => {
      state.sortDescending = state.sortKey === th.dataset.key ? !state.sortDescending : false;
      state.sortKey = th.dataset.key;
      drawAllocations();
    });
  }
  for (const id of ['filterUser', 'filterClient']) {
    $(id).addEventListener('input', () => {
      state.page = 0;
      drawAllocations();
    });
  }
  $('previous').addEventListener('click', () => {
    state.page = Math.max(0, state.page - 1);
    drawAllocations();
  });
  $('next').addEventListener('click', () => {
    state.page++;
    drawAllocations();
  });

  refresh();
})();
