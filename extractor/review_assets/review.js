/* The review page: list, highlights, decisions, edits, summary and export of enforcement records.
   Plain JavaScript, no libraries, no network. The records come from the JSON block with id "data". */
(function () {
  'use strict';

  const started = performance.now();
  const DATA = JSON.parse(document.getElementById('data').textContent);
  const RECS = DATA.records;
  const N = RECS.length;
  const KINDS = DATA.kinds;
  const REG = new Map(DATA.regulators.map((r) => [r[0], { id: r[0], name: r[1], country: r[2], sector: r[3] }]));
  const STORE_KEY = 'extractor-review:' + DATA.key;
  const REVIEWER_KEY = 'extractor-review:reviewer';
  const ROLE_ORDER = ['amount', 'date', 'target', 'authority', 'cue'];
  const OBJECT_FIELDS = ['authority', 'target', 'amount', 'date', 'evidence'];
  const ROW = 56;
  const $ = (id) => document.getElementById(id);
  const timings = { parse: performance.now() - started };

  // ---------------------------------------------------------------- helpers
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;' };
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"'\r]/g, (c) => ESC[c]);
  const clone = (o) => (o == null ? o : JSON.parse(JSON.stringify(o)));
  const isObj = (o) => o !== null && typeof o === 'object' && !Array.isArray(o);
  function canon(v) {
    if (Array.isArray(v)) return '[' + v.map(canon).join(',') + ']';
    if (isObj(v)) return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
    return JSON.stringify(v === undefined ? null : v);
  }
  const same = (a, b) => canon(a) === canon(b);
  const NUM = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
  const fmtNum = (v) => (typeof v === 'number' ? NUM.format(v) : String(v));
  function compact(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toFixed(a >= 1e10 ? 1 : 2) + 'bn';
    if (a >= 1e6) return +(v / 1e6).toFixed(a >= 1e7 ? 1 : 2) + 'm';
    if (a >= 1e3) return +(v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + 'k';
    return NUM.format(v);
  }
  const eurText = (v) => '€' + compact(v);
  const trunc = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  let toastTimer = 0;
  function toast(msg) {
    const t = $('toast');
    t.textContent = msg;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 2200);
  }
  const nextFrame = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));

  // Offsets in records count code points (Python); the DOM counts UTF-16 units. A map per text that has
  // characters outside the BMP, none for the others.
  const U16 = new Map();
  function u16map(i) {
    if (U16.has(i)) return U16.get(i);
    const t = RECS[i].text || '';
    let m = null;
    if (/[\uD800-\uDFFF]/.test(t)) {
      m = [];
      let u = 0;
      for (const ch of t) { m.push(u); u += ch.length; }
      m.push(u);
    }
    U16.set(i, m);
    return m;
  }
  const toU16 = (m, cp) => (m ? m[Math.max(0, Math.min(cp, m.length - 1))] : cp);
  function toCp(m, u) {
    if (!m) return u;
    let lo = 0, hi = m.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (m[mid] < u) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---------------------------------------------------------------- review state
  // W[i] exists once record i is touched: its working sanctions (corrections applied, review blocks), the
  // predicted sanctions they are compared with, and the record's review block.
  const W = new Array(N);
  const sStatus = (s) => (s.review && s.review.status) || 'unreviewed';
  const depth = (p) => p.split('.').length;
  function setPath(obj, path, value) {
    const keys = path.split('.');
    let cur = obj;
    for (let j = 0; j < keys.length - 1; j++) {
      if (!isObj(cur[keys[j]])) cur[keys[j]] = {};
      cur = cur[keys[j]];
    }
    cur[keys[keys.length - 1]] = clone(value);
  }
  function applied(s) {
    const c = clone(s);
    const corr = (s.review && s.review.corrected) || {};
    Object.keys(corr).sort((a, b) => depth(a) - depth(b)).forEach((p) => setPath(c, p, corr[p].to));
    return c;
  }
  function predicted(s) {
    const p = clone(s);
    delete p.review;
    const corr = (s.review && s.review.corrected) || {};
    Object.keys(corr).sort((a, b) => depth(b) - depth(a)).forEach((q) => setPath(p, q, corr[q].from));
    return p;
  }
  function newReview(r) {
    return { status: (r && r.status) || 'unreviewed', note: (r && r.note) || '', added: !!(r && r.added) };
  }
  function work(i) {
    if (!W[i]) {
      const r = RECS[i];
      const rv = r.review || {};
      const ss = r.sanctions || [];
      W[i] = {
        sanctions: ss.map((s) => { const c = applied(s); c.review = newReview(s.review); return c; }),
        base: ss.map((s) => (s.review && s.review.added ? null : predicted(s))),
        review: {
          note: rv.note || '', reviewer: rv.reviewer || '', reviewed_at: rv.reviewed_at || null,
          done: rv.status === 'reviewed', touched: rv.status === 'in_progress',
        },
      };
    }
    return W[i];
  }
  const sanctionsOf = (i) => (W[i] ? W[i].sanctions : RECS[i].sanctions || []);
  function recStatus(i) {
    if (!W[i]) return (RECS[i].review && RECS[i].review.status) || 'unreviewed';
    const w = W[i];
    if (w.review.done) return 'reviewed';
    let decided = 0;
    for (const s of w.sanctions) if (sStatus(s) !== 'unreviewed') decided++;
    if (w.sanctions.length && decided === w.sanctions.length) return 'reviewed';
    return decided || w.review.touched ? 'in_progress' : 'unreviewed';
  }
  function diff(b, c) {
    const out = {};
    const keys = new Set([...Object.keys(b), ...Object.keys(c)]);
    for (const key of keys) {
      if (key === 'review' || key === 'confidence') continue;
      const bv = b[key], cv = c[key];
      if (same(bv, cv)) continue;
      if (OBJECT_FIELDS.includes(key) && isObj(bv) && isObj(cv)) {
        for (const sub of new Set([...Object.keys(bv), ...Object.keys(cv)])) {
          if (!same(bv[sub], cv[sub])) out[key + '.' + sub] = { from: clone(bv[sub] ?? null), to: clone(cv[sub] ?? null) };
        }
      } else {
        out[key] = { from: clone(bv ?? null), to: clone(cv ?? null) };
      }
    }
    return out;
  }
  const correctionsOf = (i, k) => (W[i] && W[i].base[k] ? diff(W[i].base[k], W[i].sanctions[k]) : {});

  // Saved in this browser so a reload keeps the work; exported files are the real result.
  let saveTimer = 0;
  function save() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 250);
  }
  function saveNow() {
    clearTimeout(saveTimer);
    const records = {};
    for (let i = 0; i < N; i++) if (W[i]) records[i] = { sanctions: W[i].sanctions, review: W[i].review };
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify({ v: 1, records }));
    } catch (err) {
      toast('Could not keep the review in this browser (' + err.name + '): export it now.');
    }
  }
  function restore() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(STORE_KEY) || 'null'); } catch (err) { saved = null; }
    if (!saved || saved.v !== 1) return 0;
    let n = 0;
    for (const [key, val] of Object.entries(saved.records || {})) {
      const i = +key;
      if (!(i >= 0 && i < N) || !val || !Array.isArray(val.sanctions)) continue;
      const w = work(i);
      const predictedCount = w.base.filter(Boolean).length;
      if (val.sanctions.length < predictedCount) continue;
      w.sanctions = val.sanctions;
      w.base = w.base.slice(0, predictedCount).concat(new Array(val.sanctions.length - predictedCount).fill(null));
      Object.assign(w.review, val.review || {});
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- export
  function reviewer() { return $('reviewer').value.trim(); }
  function recordReview(i) {
    const st = recStatus(i);
    const w = W[i];
    const rv = RECS[i].review || {};
    return {
      status: st,
      note: w ? w.review.note : rv.note || '',
      reviewer: (w ? w.review.reviewer : rv.reviewer) || '',
      reviewed_at: (w ? w.review.reviewed_at : rv.reviewed_at) || null,
      tool: DATA.tool,
    };
  }
  function exportSanction(i, k) {
    const w = W[i];
    const s = w.sanctions[k];
    const out = {};
    for (const key of Object.keys(s)) if (key !== 'review') out[key] = s[key];
    const review = { status: sStatus(s), corrected: correctionsOf(i, k), note: (s.review && s.review.note) || '' };
    if (!w.base[k]) review.added = true;
    out.review = review;
    return out;
  }
  function exportRecord(i) {
    const r = RECS[i];
    const out = {};
    for (const key of Object.keys(r)) {
      if (key === 'review') continue;
      if (key === 'sanctions') {
        out.sanctions = W[i]
          ? W[i].sanctions.map((_, k) => exportSanction(i, k))
          : (r.sanctions || []).map((s) => Object.assign({}, s, {
            review: s.review || { status: 'unreviewed', corrected: {}, note: '' },
          }));
      } else {
        out[key] = r[key];
      }
    }
    out.review = recordReview(i);
    return out;
  }
  function exportIndices(scope) {
    if (scope === 'filtered') return VIEW.slice();
    const out = [];
    for (let i = 0; i < N; i++) {
      const st = recStatus(i);
      if (scope === 'reviewed' && st !== 'reviewed') continue;
      if (scope === 'touched' && st === 'unreviewed') continue;
      out.push(i);
    }
    return out;
  }
  function exportText(scope) {
    const t = performance.now();
    const lines = exportIndices(scope || 'all').map((i) => JSON.stringify(exportRecord(i)));
    timings.export = performance.now() - t;
    return lines.length ? lines.join('\n') + '\n' : '';
  }
  function exportName() {
    const src = (DATA.source || 'records.jsonl').split(/[\\/]/).pop().replace(/\.jsonl?$/i, '');
    return (src || 'records') + '.reviewed.jsonl';
  }
  function download() {
    saveNow();
    const scope = $('export-scope').value;
    const text = exportText(scope);
    const n = text ? text.split('\n').length - 1 : 0;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = exportName();
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
    toast('Exported ' + n + ' records to ' + a.download);
  }

  // ---------------------------------------------------------------- filters
  const F = { search: '', language: '', authority: '', country: '', currency: '', kind: '', prior: '', confidence: 0, status: '' };
  const SELECTS = ['language', 'authority', 'country', 'currency', 'kind', 'prior', 'status'];
  const authKey = (a) => (a ? a.id || 'name:' + a.name : '');
  const countryKey = (s) => (s.authority && s.authority.country) || '';
  const currencyKey = (s) => (s.amount ? s.amount.currency || '?' : '');
  const sanctionFilterActive = () => !!(F.authority || F.country || F.currency || (F.kind && F.kind !== '-') || F.prior || F.confidence > 0);
  function sPasses(s) {
    if (F.authority && authKey(s.authority) !== F.authority) return false;
    if (F.country && countryKey(s) !== F.country) return false;
    if (F.currency && currencyKey(s) !== F.currency) return false;
    if (F.kind && s.kind !== F.kind) return false;
    if (F.prior && (F.prior === 'prior') !== !!s.prior) return false;
    if (F.confidence > 0 && !((s.confidence || 0) >= F.confidence - 1e-9)) return false;
    return true;
  }
  const HAY = new Array(N);
  function hay(i) {
    if (HAY[i] === undefined) {
      const r = RECS[i];
      const parts = [r.title, r.outlet, r.source && r.source.path, r.id];
      for (const s of sanctionsOf(i)) {
        if (s.target) parts.push(s.target.name);
        if (s.authority) parts.push(s.authority.name, s.authority.id);
      }
      HAY[i] = parts.filter(Boolean).join('\n').toLowerCase();
    }
    return HAY[i];
  }
  function rPasses(i) {
    const r = RECS[i];
    if (F.language && (r.language || '') !== F.language) return false;
    if (F.status && recStatus(i) !== F.status) return false;
    if (F.search && !hay(i).includes(F.search)) return false;
    const ss = sanctionsOf(i);
    if (F.kind === '-') return ss.length === 0;
    if (sanctionFilterActive()) return ss.some(sPasses);
    return true;
  }
  function optionList(el, entries, anyLabel) {
    const keep = el.value;
    let html = '<option value="">' + esc(anyLabel) + '</option>';
    for (const [value, label, count] of entries) html += '<option value="' + esc(value) + '">' + esc(label) + ' (' + count + ')</option>';
    el.innerHTML = html;
    el.value = entries.some((e) => e[0] === keep) ? keep : '';
  }
  function buildOptions() {
    const langs = new Map(), auths = new Map(), countries = new Map(), curs = new Map(), kinds = new Map();
    const bump = (m, k, label) => { const e = m.get(k); if (e) e[1]++; else m.set(k, [label, 1]); };
    let none = 0;
    for (let i = 0; i < N; i++) {
      bump(langs, RECS[i].language || '', RECS[i].language || '(unknown)');
      const ss = sanctionsOf(i);
      if (!ss.length) none++;
      for (const s of ss) {
        if (s.authority) {
          const reg = s.authority.id && REG.get(s.authority.id);
          bump(auths, authKey(s.authority), (reg ? reg.name : s.authority.name) + (s.authority.id ? ' · ' + s.authority.id : ''));
        } else bump(auths, '', '');
        if (countryKey(s)) bump(countries, countryKey(s), countryKey(s));
        if (s.amount) bump(curs, currencyKey(s), s.amount.currency || '(unknown currency)');
        bump(kinds, s.kind, s.kind);
      }
    }
    auths.delete('');
    const sorted = (m) => [...m.entries()].map(([k, [l, c]]) => [k, l, c]).sort((a, b) => b[2] - a[2] || a[1].localeCompare(b[1]));
    optionList($('f-language'), [...langs.entries()].map(([k, [l, c]]) => [k, l, c]).sort((a, b) => a[1].localeCompare(b[1])), 'any');
    optionList($('f-authority'), sorted(auths), 'any');
    optionList($('f-country'), sorted(countries).sort((a, b) => a[1].localeCompare(b[1])), 'any');
    optionList($('f-currency'), sorted(curs), 'any');
    const kindEntries = KINDS.filter((k) => kinds.has(k)).map((k) => [k, k, kinds.get(k)[1]]);
    kindEntries.push(['-', '— no sanction', none]);
    optionList($('f-kind'), kindEntries, 'any');
    for (const name of SELECTS) if ($('f-' + name).value !== F[name]) F[name] = $('f-' + name).value;
  }
  let optionsTimer = 0;
  const rebuildOptionsSoon = () => { clearTimeout(optionsTimer); optionsTimer = setTimeout(buildOptions, 400); };
  function syncFilterUI() {
    for (const name of SELECTS) {
      const el = $('f-' + name);
      el.value = F[name];
      if (el.value !== F[name]) { // a value the options do not hold (a link from the summary to a group)
        const o = document.createElement('option');
        o.value = F[name];
        o.textContent = F[name];
        el.appendChild(o);
        el.value = F[name];
      }
    }
    $('f-search').value = F.search;
    $('f-confidence').value = F.confidence;
    $('f-confidence-value').textContent = (+F.confidence).toFixed(2);
  }

  // ---------------------------------------------------------------- list (virtualised)
  let VIEW = [];
  let CUR = -1; // record index
  let SEL = 0; // sanction index within CUR
  let EDITING = -1;
  let VIEWMODE = 'articles';
  const list = $('list'), inner = $('list-inner');
  function position(i) { // where record i is, or would be, in VIEW (VIEW is sorted)
    let lo = 0, hi = VIEW.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (VIEW[mid] < i) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function refilter(jump, noSelect) {
    const t = performance.now();
    VIEW = [];
    for (let i = 0; i < N; i++) if (rPasses(i)) VIEW.push(i);
    inner.style.height = VIEW.length * ROW + 'px';
    $('f-count').textContent = VIEW.length + ' of ' + N + ' articles';
    let selected = false;
    if (!noSelect && (jump || CUR < 0)) {
      const p = position(CUR);
      if (VIEW[p] !== CUR) { select(VIEW.length ? VIEW[0] : -1, 0, { scroll: true }); selected = true; } else ensureVisible(p);
    }
    if (!selected && CUR >= 0 && VIEWMODE === 'articles') renderSanctions(); // sanctions outside the filters are dimmed
    renderList();
    if (VIEWMODE === 'summary') renderSummary();
    timings.filter = performance.now() - t;
  }
  function biggest(ss) {
    let best = null;
    for (const s of ss) if (s.amount && sStatus(s) !== 'rejected' && (!best || eurOf(s.amount) > eurOf(best))) best = s.amount;
    return best ? compact(best.value) + ' ' + (best.currency || '?') : '';
  }
  function rowHtml(i, p) {
    const r = RECS[i];
    const ss = sanctionsOf(i);
    const st = recStatus(i);
    const path = (r.source && r.source.path) || '';
    const title = r.title || path.split('/').pop() || r.id;
    const meta = [ss.length + (ss.length === 1 ? ' sanction' : ' sanctions'), biggest(ss), path.split('/').slice(-2).join('/')].filter(Boolean);
    return '<div class="row' + (i === CUR ? ' current' : '') + '" data-i="' + i + '" style="top:' + p * ROW + 'px" title="' + esc(path) + '">'
      + '<div class="t"><span class="dot ' + st + '" title="' + st.replace('_', ' ') + '"></span>' + esc(title) + '</div>'
      + '<div class="m"><span class="badge">' + esc(r.language || '?') + '</span>' + esc(meta.join(' · ')) + (r.errors && r.errors.length ? ' · ⚠ ' + esc(r.errors[0].type) : '') + '</div></div>';
  }
  let listFrame = 0;
  function renderList() {
    listFrame = 0;
    const top = list.scrollTop, h = list.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW) - 8);
    const last = Math.min(VIEW.length, Math.ceil((top + h) / ROW) + 8);
    let html = '';
    for (let p = first; p < last; p++) html += rowHtml(VIEW[p], p);
    inner.innerHTML = VIEW.length ? html : '<div class="empty">No article matches the filters.</div>';
  }
  list.addEventListener('scroll', () => { if (!listFrame) listFrame = requestAnimationFrame(renderList); });
  list.addEventListener('click', (e) => {
    const row = e.target.closest('.row');
    if (row) select(+row.dataset.i, 0);
  });
  function ensureVisible(p) {
    const h = list.clientHeight || 600;
    if (p * ROW < list.scrollTop) list.scrollTop = p * ROW;
    else if ((p + 1) * ROW > list.scrollTop + h) list.scrollTop = (p + 1) * ROW - h;
  }

  // ---------------------------------------------------------------- article
  function select(i, k, opts) {
    const t = performance.now();
    const changedRecord = i !== CUR;
    CUR = i;
    SEL = k || 0;
    if (changedRecord) EDITING = -1;
    if (CUR >= 0) {
      const p = position(CUR);
      if (VIEW[p] === CUR) ensureVisible(p);
      history.replaceState(null, '', '#a=' + CUR + (SEL ? '&s=' + SEL : ''));
    }
    renderList();
    renderArticle(opts && opts.scroll !== false);
    timings.select = performance.now() - t;
  }
  function spansOf(i) {
    const out = [];
    sanctionsOf(i).forEach((s, k) => {
      const rej = sStatus(s) === 'rejected';
      const add = (o, role) => {
        if (o && Number.isInteger(o.start) && Number.isInteger(o.end) && o.end > o.start) out.push({ start: o.start, end: o.end, role, k, rej });
      };
      add(s.authority, 'authority');
      add(s.target, 'target');
      add(s.amount, 'amount');
      if (s.amount && Array.isArray(s.amount.equivalents)) s.amount.equivalents.forEach((e) => add(e, 'amount'));
      add(s.date, 'date');
      (s.cues || []).forEach((c) => add(c, 'cue'));
      if (k === SEL) add(s.evidence, 'ev');
    });
    return out;
  }
  function highlighted(i) {
    const text = RECS[i].text || '';
    const m = u16map(i);
    const spans = spansOf(i).map((sp) => Object.assign(sp, {
      a: Math.min(toU16(m, sp.start), text.length), b: Math.min(toU16(m, sp.end), text.length),
    })).filter((sp) => sp.b > sp.a);
    const cuts = new Set([0, text.length]);
    for (const sp of spans) { cuts.add(sp.a); cuts.add(sp.b); }
    const points = [...cuts].sort((x, y) => x - y);
    let html = '';
    for (let j = 0; j + 1 < points.length; j++) {
      const a = points[j], b = points[j + 1];
      const piece = esc(text.slice(a, b));
      const on = spans.filter((sp) => sp.a <= a && sp.b >= b);
      if (!on.length) { html += piece; continue; }
      const roles = on.filter((sp) => sp.role !== 'ev');
      if (!roles.length) { html += '<span class="hl ev">' + piece + '</span>'; continue; }
      const names = new Set(roles.map((sp) => sp.role));
      const primary = ROLE_ORDER.find((r) => names.has(r));
      const ks = [...new Set(roles.map((sp) => sp.k))];
      let cls = 'hl r-' + primary;
      if (names.size > 1) cls += ' multi';
      if (roles.some((sp) => sp.k === SEL)) cls += ' sel';
      if (roles.every((sp) => sp.rej)) cls += ' rej';
      const title = roles.map((sp) => sp.role + ' of #' + (sp.k + 1)).join(', ');
      html += '<span class="' + cls + '" data-s="' + ks.join(' ') + '" title="' + esc(title) + '">' + piece + '</span>';
    }
    return html;
  }
  function renderArticle(scroll) {
    if (CUR < 0) {
      $('article-head').innerHTML = '<div class="empty">No article matches the filters.</div>';
      $('text').innerHTML = '';
      $('sanctions').innerHTML = '';
      return;
    }
    const r = RECS[CUR];
    const st = recStatus(CUR);
    const note = W[CUR] ? W[CUR].review.note : (r.review && r.review.note) || '';
    const pub = r.published ? r.published.value : 'no date';
    const meta = [
      (r.source && r.source.path) || '(no path)',
      (r.language || '?') + (r.language_confidence != null ? ' ' + (+r.language_confidence).toFixed(2) : ''),
      'published ' + pub, r.outlet, 'id ' + r.id,
    ].filter(Boolean);
    let head = '<h2>' + esc(r.title || '(no title)') + '</h2><div class="meta">' + esc(meta.join(' · ')) + '</div>';
    if (r.errors && r.errors.length) head += '<div class="errors">' + r.errors.map((e) => esc(e.type + ': ' + e.message)).join('<br>') + '</div>';
    head += '<div class="article-actions"><span class="dot ' + st + '"></span><b id="article-status">' + st.replace('_', ' ') + '</b>'
      + '<button type="button" data-act="done" title="Accept the undecided sanctions and mark the article reviewed (d)">Article done</button>'
      + '<button type="button" data-act="add" title="Add a sanction the extractor missed; select its sentence first (+)">Add sanction</button>'
      + '<input type="text" id="article-note" placeholder="note on the article" value="' + esc(note) + '"></div>';
    $('article-head').innerHTML = head;
    $('text').lang = r.language || '';
    $('text').innerHTML = highlighted(CUR);
    renderSanctions();
    if (scroll) {
      const el = $('text').querySelector('.hl.sel, .hl.ev');
      if (el) el.scrollIntoView({ block: 'center' });
      else $('article').scrollTop = 0;
    }
  }
  function refreshText() { if (CUR >= 0) $('text').innerHTML = highlighted(CUR); }

  // ---------------------------------------------------------------- sanction cards
  function fieldRows(s, corr) {
    const rows = [];
    const was = (path) => (corr[path] ? ' changed" title="was: ' + esc(JSON.stringify(corr[path].from)) : '');
    const wasAny = (prefix) => { const p = Object.keys(corr).find((q) => q === prefix || q.startsWith(prefix + '.')); return p ? was(p) : ''; };
    const none = '<span class="none">none</span>';
    const a = s.authority;
    rows.push(['authority', 'Authority', a ? esc(a.name) + ' <span class="none">' + esc([a.id || 'not in KB', a.country].filter(Boolean).join(' · ')) + '</span>' : none, wasAny('authority')]);
    rows.push(['target', 'Target', s.target ? esc(s.target.name) : none, wasAny('target')]);
    const m = s.amount;
    let money = none;
    if (m) {
      money = esc(fmtNum(m.value) + ' ' + (m.currency || '(currency?)'));
      if (m.approximate) money += ' <span class="badge">about</span>';
      if (m.upper_bound) money += ' <span class="badge">up to</span>';
      if (typeof m.value_eur === 'number' && m.currency !== 'EUR') money += ' <span class="none">≈ ' + esc(eurText(m.value_eur)) + '</span>';
      for (const e of m.equivalents || []) money += ' <span class="none">= ' + esc(fmtNum(e.value) + ' ' + (e.currency || '?')) + '</span>';
    }
    rows.push(['amount', 'Amount', money, wasAny('amount')]);
    rows.push(['date', 'Date', s.date ? esc(s.date.value) + ' <span class="none">' + esc(s.date.precision) + '</span>' : none, wasAny('date')]);
    if ((s.legal_basis || []).length || corr.legal_basis) rows.push(['', 'Legal basis', esc((s.legal_basis || []).join(', ')) || none, was('legal_basis')]);
    if ((s.cues || []).length) rows.push(['cue', 'Cues', (s.cues || []).map((c) => '<span class="badge">' + esc(c.text) + '</span>').join(''), was('cues')]);
    rows.push(['', 'Confidence', esc((+s.confidence || 0).toFixed(2)), '']);
    return '<div class="fields">' + rows.map(([role, k, v, cls]) => '<div class="k' + (role ? ' r-' + role : '') + '">' + k + '</div><div class="v' + cls + '">' + v + '</div>').join('') + '</div>';
  }
  const anchorInfo = (o) => (o && o.end > o.start ? '@' + o.start + '–' + o.end : 'no offsets');
  function editForm(k, s) {
    const a = s.authority || {}, t = s.target || {}, m = s.amount || {}, d = s.date || {};
    const inp = (path, value, extra) => '<input type="text" data-k="' + k + '" data-path="' + path + '" value="' + esc(value == null ? '' : value) + '"' + (extra || '') + '>';
    const chk = (path, on, label) => '<label><input type="checkbox" data-k="' + k + '" data-path="' + path + '"' + (on ? ' checked' : '') + '> ' + label + '</label>';
    const btn = (act, role, label, title) => '<button type="button" data-act="' + act + '" data-k="' + k + '" data-role="' + role + '" title="' + title + '">' + label + '</button>';
    const anchor = (role, o) => btn('anchor', role, 'sel', 'Take the ' + role + "'s words from the text selected in the article") + ' <span class="anchor" data-role="' + role + '">' + anchorInfo(o) + '</span>';
    const clear = (role) => btn('clear', role, '∅', 'No ' + role);
    let html = '<form class="edit" onsubmit="return false">';
    html += '<div class="k">Kind</div><div class="group"><select data-k="' + k + '" data-path="kind">'
      + KINDS.map((x) => '<option' + (x === s.kind ? ' selected' : '') + '>' + x + '</option>').join('') + '</select>'
      + chk('prior', s.prior, 'prior') + '</div>';
    html += '<div class="k r-authority">Authority</div><div class="group">' + inp('authority.name', a.name, ' placeholder="name"') + anchor('authority', s.authority) + clear('authority') + '</div>';
    html += '<div class="k"></div><div class="group">' + inp('authority.id', a.id, ' list="kb-ids" placeholder="knowledge-base id"') + inp('authority.country', a.country, ' class="short" placeholder="CC" maxlength="2"') + '</div>';
    html += '<div class="k r-target">Target</div><div class="group">' + inp('target.name', t.name, ' placeholder="name"') + anchor('target', s.target) + clear('target') + '</div>';
    html += '<div class="k r-amount">Amount</div><div class="group">' + inp('amount.value', m.value, ' placeholder="value, e.g. 1.2bn" inputmode="decimal"') + inp('amount.currency', m.currency, ' class="short" placeholder="EUR" maxlength="3"') + anchor('amount', s.amount) + clear('amount') + '</div>';
    html += '<div class="k"></div><div class="group">' + chk('amount.approximate', m.approximate, 'about') + chk('amount.upper_bound', m.upper_bound, 'up to')
      + (m.equivalents || []).map((e, j) => '<span class="badge">= ' + esc(fmtNum(e.value) + ' ' + (e.currency || '?')) + ' <button type="button" data-act="drop-equivalent" data-k="' + k + '" data-j="' + j + '" title="Not the same sum">×</button></span>').join('') + '</div>';
    html += '<div class="k r-date">Date</div><div class="group">' + inp('date.value', d.value, ' placeholder="YYYY[-MM[-DD]]"') + '<select data-k="' + k + '" data-path="date.precision">'
      + ['day', 'month', 'year'].map((x) => '<option' + (x === d.precision ? ' selected' : '') + '>' + x + '</option>').join('') + '</select>' + anchor('date', s.date) + clear('date') + '</div>';
    html += '<div class="k">Legal basis</div><div class="group">' + inp('legal_basis', (s.legal_basis || []).join(', '), ' placeholder="GDPR, DMA (comma-separated)"') + '</div>';
    html += '<div class="k">Evidence</div><div class="group">' + anchor('evidence', s.evidence) + '</div>';
    if ((s.cues || []).length) {
      html += '<div class="k r-cue">Cues</div><div class="group">' + s.cues.map((c, j) => '<span class="badge">' + esc(c.text)
        + ' <button type="button" data-act="drop-cue" data-k="' + k + '" data-j="' + j + '" title="Not a cue">×</button></span>').join('') + '</div>';
    }
    html += '<div class="k">Note</div><div class="group"><textarea data-k="' + k + '" data-path="review.note" placeholder="why, for the next reviewer">' + esc((s.review && s.review.note) || '') + '</textarea></div>';
    return html + '</form>';
  }
  function cardHtml(k, s) {
    const st = sStatus(s);
    const corr = correctionsOf(CUR, k);
    const added = W[CUR] && !W[CUR].base[k];
    let cls = 'card ' + st;
    if (k === SEL) cls += ' current';
    if (sanctionFilterActive() && !sPasses(s)) cls += ' dim';
    const pressed = (x) => ' aria-pressed="' + (x ? 'true' : 'false') + '"';
    let html = '<article class="' + cls + '" data-k="' + k + '"><header><span class="title">#' + (k + 1) + ' ' + esc(s.kind) + ' · ' + (s.prior ? 'prior' : 'current') + (added ? ' · added' : '') + '</span>'
      + '<span class="status">' + st + '</span>'
      + '<button type="button" class="accept" data-act="accept" data-k="' + k + '"' + pressed(st === 'accepted') + ' title="Accept (a)">✓</button>'
      + '<button type="button" class="reject" data-act="reject" data-k="' + k + '"' + pressed(st === 'rejected') + ' title="Reject (r)">✗</button>'
      + '<button type="button" class="edit" data-act="edit" data-k="' + k + '"' + pressed(EDITING === k) + ' title="Edit the fields (e)">✎</button>'
      + (added ? '<button type="button" data-act="delete" data-k="' + k + '" title="Remove this added sanction">del</button>' : '')
      + '</header>';
    html += EDITING === k ? editForm(k, s) : fieldRows(s, corr);
    const nCorr = Object.keys(corr).length;
    if (nCorr && EDITING !== k) html += '<div class="corrections">corrected: ' + esc(Object.keys(corr).join(', ')) + '</div>';
    if (EDITING !== k && s.review && s.review.note) html += '<div class="corrections">note: ' + esc(s.review.note) + '</div>';
    if (s.evidence && s.evidence.text) html += '<div class="evidence">' + esc(s.evidence.text) + '</div>';
    return html + '</article>';
  }
  function renderSanctions() {
    const box = $('sanctions');
    if (CUR < 0) { box.innerHTML = ''; return; }
    const ss = sanctionsOf(CUR);
    const decided = ss.filter((s) => sStatus(s) !== 'unreviewed').length;
    let html = '<div class="bar"><span class="count">' + ss.length + (ss.length === 1 ? ' sanction' : ' sanctions') + ' · ' + decided + ' decided</span></div>';
    if (!ss.length) html += '<div class="empty">No sanction was extracted. If the article reports none, press <kbd>d</kbd>; if it does, select its sentence and press <kbd>+</kbd>.</div>';
    ss.forEach((s, k) => { html += cardHtml(k, s); });
    box.innerHTML = html;
    const cur = box.querySelector('.card.current');
    if (cur) {
      const top = cur.offsetTop - box.offsetTop;
      if (top < box.scrollTop || top + cur.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - 8);
    }
  }

  // ---------------------------------------------------------------- decisions and edits
  function changed(i, opts) {
    const w = W[i];
    if (w) {
      w.review.status = recStatus(i);
      if (w.review.status === 'reviewed') {
        w.review.reviewed_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        w.review.reviewer = reviewer() || w.review.reviewer;
      }
    }
    HAY[i] = undefined;
    save();
    renderProgress();
    if (opts && opts.options) rebuildOptionsSoon();
    if (i === CUR) {
      const dot = $('article-head').querySelector('.article-actions .dot');
      if (dot) { dot.className = 'dot ' + recStatus(i); $('article-status').textContent = recStatus(i).replace('_', ' '); }
    }
    renderList();
  }
  function decide(k, status, toggle) {
    if (CUR < 0) return;
    const w = work(CUR);
    const s = w.sanctions[k];
    if (!s) return;
    if (toggle && sStatus(s) === status) status = 'unreviewed';
    s.review.status = status;
    if (status === 'unreviewed') w.review.done = false;
    changed(CUR);
    if (status !== 'unreviewed' && EDITING !== k) {
      const next = w.sanctions.findIndex((x, j) => j > k && sStatus(x) === 'unreviewed');
      SEL = next >= 0 ? next : k;
    } else SEL = k;
    refreshText();
    renderSanctions();
  }
  function articleDone() {
    if (CUR < 0) return;
    const w = work(CUR);
    for (const s of w.sanctions) if (sStatus(s) === 'unreviewed') s.review.status = 'accepted';
    w.review.done = true;
    changed(CUR);
    refreshText();
    renderSanctions();
    toast('Article reviewed');
  }
  function selectionOffsets() {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const box = $('text');
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    const text = RECS[CUR].text || '';
    let a = before.toString().length, b = a + range.toString().length;
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b <= a) return null;
    const m = u16map(CUR);
    return { text: text.slice(a, b), start: toCp(m, a), end: toCp(m, b) };
  }
  function blank(role) {
    if (role === 'authority') return { name: '', id: null, country: null, text: '', start: 0, end: 0 };
    if (role === 'target') return { name: '', text: '', start: 0, end: 0 };
    if (role === 'amount') return { value: 0, currency: null, text: '', start: 0, end: 0, approximate: false, upper_bound: false, equivalents: [] };
    if (role === 'date') return { value: '', precision: 'day', text: '', start: 0, end: 0 };
    return { text: '', start: 0, end: 0 };
  }
  function parseAmount(v) {
    let s = v.replace(/[\s_\u00a0\u202f']/g, '').toLowerCase();
    const scale = { k: 1e3, m: 1e6, mn: 1e6, mio: 1e6, million: 1e6, millions: 1e6, b: 1e9, bn: 1e9, billion: 1e9, billions: 1e9 };
    const mm = s.match(/^([0-9.,]+)([a-z]*)$/);
    if (!mm || (mm[2] && !(mm[2] in scale))) return null;
    s = mm[1];
    const commas = (s.match(/,/g) || []).length, dots = (s.match(/\./g) || []).length;
    if (commas === 1 && !dots && /,\d{1,2}$/.test(s)) s = s.replace(',', '.'); // 30,5 -> 30.5
    else if (dots > 1 || (dots === 1 && commas === 0 && /\.\d{3}$/.test(s) && !mm[2])) s = s.replace(/\./g, ''); // 1.200.000
    else s = s.replace(/,/g, '');
    if (!/^\d+(\.\d+)?$/.test(s)) return null;
    const n = Math.round(parseFloat(s) * (mm[2] ? scale[mm[2]] : 1) * 100) / 100;
    return Number.isFinite(n) ? n : null;
  }
  const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  function validDate(v) {
    const m = v.match(DATE_RE);
    if (!m) return false;
    if (m[2] && !(+m[2] >= 1 && +m[2] <= 12)) return false;
    if (m[3]) {
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      if (d.getUTCDate() !== +m[3]) return false;
    }
    return true;
  }
  function invalid(el, msg) {
    el.classList.add('invalid');
    el.title = msg;
    toast(msg);
    return false;
  }
  // Applies one edited field; returns false (and marks the field) when the value is not valid.
  function applyEdit(k, path, el) {
    const w = work(CUR);
    const s = w.sanctions[k];
    const v = el.type === 'checkbox' ? el.checked : el.value.trim();
    el.classList.remove('invalid');
    const ensure = (role) => { if (!s[role]) s[role] = blank(role); return s[role]; };
    switch (path) {
      case 'review.note':
        s.review.note = v;
        changed(CUR);
        return true;
      case 'kind': s.kind = v; break;
      case 'prior': s.prior = v; break;
      case 'authority.name': if (!v) s.authority = null; else ensure('authority').name = v; break;
      case 'authority.id': {
        if (!v) { if (s.authority) s.authority.id = null; break; }
        const reg = REG.get(v);
        if (!reg) return invalid(el, 'Not a knowledge-base id: ' + v + ' (leave it empty for a body the base lacks)');
        const a = ensure('authority');
        a.id = v;
        a.name = reg.name;
        a.country = reg.country;
        break;
      }
      case 'authority.country': {
        const c = v.toUpperCase();
        if (c && !/^([A-Z]{2}|EU|XX)$/.test(c)) return invalid(el, 'Country: ISO 3166-1 alpha-2, EU or XX');
        if (!s.authority) return invalid(el, 'Give the authority a name first');
        s.authority.country = c || null;
        break;
      }
      case 'target.name': if (!v) s.target = null; else ensure('target').name = v; break;
      case 'amount.value': {
        if (!v) { s.amount = null; break; }
        const n = parseAmount(v);
        if (n == null) return invalid(el, 'Amount: a number such as 1200000, 1,200,000 or 1.2m');
        const m = ensure('amount');
        const old = m.value;
        m.value = n;
        // The EUR value follows at the same rate; EUR amounts are their own EUR value.
        if (m.currency === 'EUR' && 'value_eur' in m) m.value_eur = n;
        else if (typeof m.value_eur === 'number' && old) m.value_eur = Math.round((m.value_eur * n / old) * 100) / 100;
        break;
      }
      case 'amount.currency': {
        const c = v.toUpperCase();
        if (c && !/^[A-Z]{3}$/.test(c)) return invalid(el, 'Currency: an ISO 4217 code such as EUR');
        if (!s.amount) return invalid(el, 'Give the amount a value first');
        const m = s.amount;
        if ((c || null) !== m.currency && ('value_eur' in m || c === 'EUR')) {
          m.value_eur = c === 'EUR' ? m.value : null;
          if ('rate_note' in m || c !== 'EUR') m.rate_note = c === 'EUR' ? null : 'currency corrected in review; not converted';
          if ('rate_date' in m) m.rate_date = null;
        }
        m.currency = c || null;
        break;
      }
      case 'amount.approximate': case 'amount.upper_bound':
        if (!s.amount) { el.checked = false; return invalid(el, 'Give the amount a value first'); }
        s.amount[path.split('.')[1]] = v;
        break;
      case 'date.value': {
        if (!v) { s.date = null; break; }
        if (!validDate(v)) return invalid(el, 'Date: YYYY, YYYY-MM or YYYY-MM-DD');
        const d = ensure('date');
        d.value = v;
        d.precision = v.length === 4 ? 'year' : v.length === 7 ? 'month' : 'day';
        break;
      }
      case 'date.precision':
        if (!s.date) return invalid(el, 'Give the date a value first');
        s.date.precision = v;
        break;
      case 'legal_basis': s.legal_basis = v.split(/[,;]/).map((x) => x.trim()).filter(Boolean); break;
      default: return false;
    }
    if (sStatus(s) !== 'accepted') s.review.status = 'accepted';
    changed(CUR, { options: true });
    refreshText();
    syncCard(k, el);
    return true;
  }
  function valueAt(s, path) {
    let v = s;
    for (const key of path.split('.')) v = v == null ? null : v[key];
    return v;
  }
  // After an edit the open form is updated in place, never rebuilt: the reviewer's focus and whatever
  // they are typing in the next field stay as they are.
  function syncCard(k, edited) {
    const card = $('sanctions').querySelector('.card[data-k="' + k + '"]');
    const form = card && card.querySelector('form.edit');
    if (!form) { renderSanctions(); return; }
    const s = sanctionsOf(CUR)[k];
    const st = sStatus(s);
    card.classList.remove('unreviewed', 'accepted', 'rejected');
    card.classList.add(st);
    card.querySelector('header .status').textContent = st;
    card.querySelector('header .title').textContent = '#' + (k + 1) + ' ' + s.kind + ' · ' + (s.prior ? 'prior' : 'current') + (W[CUR] && !W[CUR].base[k] ? ' · added' : '');
    card.querySelector('button.accept').setAttribute('aria-pressed', String(st === 'accepted'));
    card.querySelector('button.reject').setAttribute('aria-pressed', String(st === 'rejected'));
    form.querySelectorAll('[data-path]').forEach((el) => {
      if (el !== edited && el === document.activeElement) return;
      const v = valueAt(s, el.dataset.path);
      if (el.type === 'checkbox') el.checked = !!v;
      else el.value = v == null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
      if (el !== edited) el.classList.remove('invalid');
    });
    form.querySelectorAll('.anchor[data-role]').forEach((el) => { el.textContent = anchorInfo(s[el.dataset.role]); });
  }
  function anchor(k, role) {
    const off = selectionOffsets();
    if (!off) { toast('Select the words in the article text first'); return; }
    const w = work(CUR);
    const s = w.sanctions[k];
    if (role === 'evidence') s.evidence = { text: off.text, start: off.start, end: off.end };
    else {
      if (!s[role]) {
        if (role === 'amount') {
          const n = parseAmount(off.text.replace(/[^\d.,\s]+$|^[^\d]+/g, ''));
          if (n == null) { toast('Type the amount first, then take its words from the text'); return; }
          s.amount = blank('amount');
          s.amount.value = n;
        } else if (role === 'date') {
          toast('Type the date first, then take its words from the text');
          return;
        } else {
          s[role] = blank(role);
          s[role].name = off.text;
        }
      }
      Object.assign(s[role], { text: off.text, start: off.start, end: off.end });
    }
    if (sStatus(s) !== 'accepted') s.review.status = 'accepted';
    window.getSelection().removeAllRanges();
    changed(CUR, { options: true });
    refreshText();
    renderSanctions();
  }
  function addSanction() {
    if (CUR < 0) return;
    const off = selectionOffsets();
    const w = work(CUR);
    w.sanctions.push({
      kind: 'fine', prior: false, authority: null, target: null, amount: null, date: null, legal_basis: [],
      evidence: off ? { text: off.text, start: off.start, end: off.end } : blank('evidence'),
      confidence: 1, cues: [], review: { status: 'accepted', note: '', added: true },
    });
    w.base.push(null);
    SEL = EDITING = w.sanctions.length - 1;
    changed(CUR, { options: true });
    refreshText();
    renderSanctions();
    const first = $('sanctions').querySelector('.card.current select');
    if (first) first.focus();
  }
  function act(btn) {
    const k = +btn.dataset.k;
    const w = CUR >= 0 ? work(CUR) : null;
    switch (btn.dataset.act) {
      case 'accept': SEL = k; decide(k, 'accepted', true); break;
      case 'reject': SEL = k; decide(k, 'rejected', true); break;
      case 'edit': SEL = k; EDITING = EDITING === k ? -1 : k; refreshText(); renderSanctions(); break;
      case 'anchor': anchor(k, btn.dataset.role); break;
      case 'clear': w.sanctions[k][btn.dataset.role] = null; w.sanctions[k].review.status = 'accepted'; changed(CUR, { options: true }); refreshText(); renderSanctions(); break;
      case 'drop-cue': w.sanctions[k].cues.splice(+btn.dataset.j, 1); w.sanctions[k].review.status = 'accepted'; changed(CUR); refreshText(); renderSanctions(); break;
      case 'drop-equivalent': w.sanctions[k].amount.equivalents.splice(+btn.dataset.j, 1); w.sanctions[k].review.status = 'accepted'; changed(CUR); refreshText(); renderSanctions(); break;
      case 'delete':
        if (w.base[k]) return;
        w.sanctions.splice(k, 1);
        w.base.splice(k, 1);
        SEL = Math.max(0, Math.min(SEL, w.sanctions.length - 1));
        EDITING = -1;
        changed(CUR, { options: true });
        refreshText();
        renderSanctions();
        break;
      case 'done': articleDone(); break;
      case 'add': addSanction(); break;
      default: break;
    }
  }
  $('sanctions').addEventListener('mousedown', (e) => { // keep the text selection for the ⌖ buttons
    if (e.target.closest('button[data-act="anchor"], button[data-act="add"]')) e.preventDefault();
  });
  $('article-head').addEventListener('mousedown', (e) => {
    if (e.target.closest('button[data-act="add"]')) e.preventDefault();
  });
  $('sanctions').addEventListener('click', (e) => {
    const btn = e.target.closest('button[data-act]');
    if (btn) { act(btn); return; }
    const card = e.target.closest('.card');
    if (card && !e.target.closest('form') && +card.dataset.k !== SEL) { SEL = +card.dataset.k; refreshText(); renderSanctions(); scrollToSelected(); }
  });
  $('sanctions').addEventListener('change', (e) => {
    const el = e.target;
    if (el.dataset && el.dataset.path) applyEdit(+el.dataset.k, el.dataset.path, el);
  });
  $('article-head').addEventListener('click', (e) => { const btn = e.target.closest('button[data-act]'); if (btn) act(btn); });
  $('article-head').addEventListener('change', (e) => {
    if (e.target.id !== 'article-note' || CUR < 0) return;
    const w = work(CUR);
    w.review.note = e.target.value.trim();
    w.review.touched = true;
    changed(CUR);
  });
  $('text').addEventListener('click', (e) => {
    if (!window.getSelection().isCollapsed) return;
    const hl = e.target.closest('[data-s]');
    if (!hl) return;
    const ks = hl.dataset.s.split(' ').map(Number);
    const at = ks.indexOf(SEL);
    SEL = ks[(at + 1) % ks.length];
    refreshText();
    renderSanctions();
  });
  function scrollToSelected() {
    const el = $('text').querySelector('.hl.sel, .hl.ev');
    if (el) el.scrollIntoView({ block: 'nearest' });
  }

  // ---------------------------------------------------------------- progress
  function renderProgress() {
    const by = { unreviewed: 0, in_progress: 0, reviewed: 0 };
    let sanctions = 0, accepted = 0, rejected = 0;
    for (let i = 0; i < N; i++) {
      by[recStatus(i)]++;
      if (W[i]) for (const s of W[i].sanctions) { sanctions++; if (sStatus(s) === 'accepted') accepted++; else if (sStatus(s) === 'rejected') rejected++; }
      else sanctions += (RECS[i].sanctions || []).length;
    }
    $('progress').textContent = N + ' articles · ' + by.reviewed + ' reviewed · ' + by.in_progress + ' in progress · '
      + sanctions + ' sanctions (' + accepted + ' accepted, ' + rejected + ' rejected)';
  }

  // ---------------------------------------------------------------- summary
  function eurOf(m) {
    if (!m || typeof m.value !== 'number') return 0;
    if (m.currency === 'EUR') return m.value;
    if (typeof m.value_eur === 'number') return m.value_eur;
    const eq = (m.equivalents || []).find((e) => e.currency === 'EUR' && typeof e.value === 'number');
    return eq ? eq.value : 0;
  }
  function hasEur(m) { return !!m && (m.currency === 'EUR' || typeof m.value_eur === 'number' || (m.equivalents || []).some((e) => e.currency === 'EUR')); }
  function group(map, key, label, href, s, i) {
    let g = map.get(key);
    if (!g) { g = { key, label, href, count: 0, eur: 0, other: {}, articles: new Set() }; map.set(key, g); }
    g.count++;
    g.articles.add(i);
    if (s.amount) {
      if (hasEur(s.amount)) g.eur += eurOf(s.amount);
      else { const c = s.amount.currency || '?'; g.other[c] = (g.other[c] || 0) + s.amount.value; }
    }
  }
  function otherText(other, max) {
    const parts = Object.entries(other).sort((a, b) => b[1] - a[1]).map(([c, v]) => compact(v) + ' ' + c);
    return parts.length > max ? parts.slice(0, max).join(' + ') + ' + …' : parts.join(' + ');
  }
  function barChart(title, groups, what) {
    const rows = [...groups.values()].sort((a, b) => b.eur - a.eur || b.count - a.count || a.label.localeCompare(b.label));
    const shown = rows.slice(0, 15);
    const H = 24, top = 22, W_ = 640;
    const maxC = Math.max(1, ...shown.map((g) => g.count));
    const maxE = Math.max(1, ...shown.map((g) => g.eur));
    let svg = '<svg viewBox="0 0 ' + W_ + ' ' + (top + shown.length * H + 6) + '" role="img" aria-label="' + esc(title) + '" data-chart="' + what + '">';
    svg += '<text x="0" y="13" font-weight="600">' + esc(title) + '</text><text x="200" y="13" class="muted">sanctions</text><text x="340" y="13" class="muted">amount (EUR; other currencies summed apart)</text>';
    shown.forEach((g, j) => {
      const y = top + j * H;
      const wc = Math.max(1, (g.count / maxC) * 100), we = g.eur ? Math.max(1, (g.eur / maxE) * 150) : 0;
      const other = otherText(g.other, 2);
      const tip = g.label + ': ' + g.count + ' sanctions in ' + g.articles.size + ' articles' + (g.eur ? '; ' + eurText(g.eur) : '') + (other ? '; ' + other : '');
      svg += '<a href="' + esc(g.href) + '" data-key="' + esc(g.key) + '"><title>' + esc(tip) + '</title>'
        + '<rect x="0" y="' + (y + 1) + '" width="' + W_ + '" height="' + (H - 2) + '" fill="transparent"></rect>'
        + '<text x="0" y="' + (y + 15) + '">' + esc(trunc(g.label, 30)) + '</text>'
        + '<rect class="count" x="200" y="' + (y + 6) + '" width="' + wc.toFixed(1) + '" height="10" rx="2"></rect>'
        + '<text x="' + (204 + wc).toFixed(1) + '" y="' + (y + 15) + '">' + g.count + '</text>'
        + (we ? '<rect class="eur" x="340" y="' + (y + 6) + '" width="' + we.toFixed(1) + '" height="10" rx="2"></rect>' : '')
        + '<text x="' + (344 + we).toFixed(1) + '" y="' + (y + 15) + '">' + esc([g.eur ? eurText(g.eur) : '', other].filter(Boolean).join(' + ')) + '</text></a>';
    });
    svg += '</svg>';
    if (rows.length > shown.length) svg += '<div class="note">' + (rows.length - shown.length) + ' more not drawn; filter to see them.</div>';
    return svg;
  }
  function dateTime(v) {
    const m = v && v.match(DATE_RE);
    return m ? Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1) : null;
  }
  function timeline(points) {
    if (!points.length) return '<p class="note">No dated sanction among the filtered records.</p>';
    const kinds = KINDS.filter((k) => points.some((p) => p.s.kind === k));
    const W_ = 1000, left = 80, right = 20, lane = 30, top = 10;
    const H = top + kinds.length * lane + 30;
    let t0 = Math.min(...points.map((p) => p.t)), t1 = Math.max(...points.map((p) => p.t));
    if (t1 - t0 < 864e5 * 60) { t0 -= 864e5 * 30; t1 += 864e5 * 30; }
    const x = (t) => left + ((t - t0) / (t1 - t0)) * (W_ - left - right);
    let svg = '<svg viewBox="0 0 ' + W_ + ' ' + H + '" role="img" aria-label="Sanctions by date" data-chart="timeline">';
    const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
    const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 14));
    for (let y = y0; y <= y1 + 1; y += step) {
      const t = Date.UTC(y, 0, 1);
      if (t < t0 || t > t1) continue;
      svg += '<line class="grid" x1="' + x(t).toFixed(1) + '" x2="' + x(t).toFixed(1) + '" y1="' + top + '" y2="' + (H - 24) + '"></line>'
        + '<text x="' + x(t).toFixed(1) + '" y="' + (H - 8) + '" text-anchor="middle" class="muted">' + y + '</text>';
    }
    kinds.forEach((k, j) => { svg += '<text x="0" y="' + (top + j * lane + lane / 2 + 4) + '">' + k + '</text>'; });
    for (const p of points) {
      const j = kinds.indexOf(p.s.kind);
      const jitter = (((p.i * 7919 + p.k * 104729) % 17) - 8) * 1.1;
      const cy = top + j * lane + lane / 2 + jitter;
      const e = eurOf(p.s.amount);
      const r = e ? Math.max(2.5, Math.min(10, 2.5 + (Math.log10(e) - 3) * 1.2)) : 3;
      const a = p.s.authority, tg = p.s.target, m = p.s.amount;
      const tip = p.s.date.value + ' · ' + p.s.kind + (p.s.prior ? ' (prior)' : '') + ' · ' + (a ? a.name : '?') + ' → ' + (tg ? tg.name : '?')
        + (m ? ' · ' + fmtNum(m.value) + ' ' + (m.currency || '?') : '') + ' · ' + ((RECS[p.i].source && RECS[p.i].source.path) || RECS[p.i].id);
      svg += '<a href="#a=' + p.i + '&amp;s=' + p.k + '"><circle class="k-' + p.s.kind + (p.s.prior ? ' prior' : '') + '" cx="' + x(p.t).toFixed(1) + '" cy="' + cy.toFixed(1)
        + '" r="' + r.toFixed(1) + '" fill-opacity="0.75"><title>' + esc(tip) + '</title></circle></a>';
    }
    return svg + '</svg><div class="note">Each mark is one sanction (hollow: a prior one recalled as background), sized by its amount in EUR; it opens its article.</div>';
  }
  function renderSummary() {
    const t = performance.now();
    const byAuthority = new Map(), byCountry = new Map(), byKind = new Map();
    const points = [], largest = [];
    let count = 0, eur = 0, articles = 0;
    const other = {};
    const filtering = sanctionFilterActive();
    for (const i of VIEW) {
      let any = false;
      sanctionsOf(i).forEach((s, k) => {
        if (sStatus(s) === 'rejected' || (filtering && !sPasses(s))) return;
        any = true;
        count++;
        const a = s.authority;
        const akey = a ? authKey(a) : '(none)';
        const alabel = a ? (a.id && REG.get(a.id) ? REG.get(a.id).name : a.name) : '(no authority)';
        group(byAuthority, akey, alabel, a ? '#f=authority:' + encodeURIComponent(akey) : '#f=', s, i);
        const c = countryKey(s);
        group(byCountry, c || '(none)', c || '(no country)', c ? '#f=country:' + encodeURIComponent(c) : '#f=', s, i);
        group(byKind, s.kind, s.kind, '#f=kind:' + encodeURIComponent(s.kind), s, i);
        if (s.amount) {
          if (hasEur(s.amount)) { eur += eurOf(s.amount); largest.push({ i, k, s, e: eurOf(s.amount) }); } else { const cur = s.amount.currency || '?'; other[cur] = (other[cur] || 0) + s.amount.value; }
        }
        const tt = s.date && dateTime(s.date.value);
        if (tt != null) points.push({ i, k, s, t: tt });
      });
      if (any) articles++;
    }
    largest.sort((p, q) => q.e - p.e);
    let html = '<div class="totals"><div><b>' + VIEW.length + '</b>articles shown</div><div><b>' + articles + '</b>with sanctions</div><div><b>' + count + '</b>sanctions (not rejected)</div>'
      + '<div><b>' + eurText(eur) + '</b>in EUR</div>' + (Object.keys(other).length ? '<div><b>' + esc(otherText(other, 3)) + '</b>other currencies</div>' : '') + '</div>';
    html += '<p class="note">Figures follow the filters and the review (rejected sanctions left out, corrections applied). EUR sums take EUR amounts, the <code>value_eur</code> of an amount where the record has one, or the EUR conversion the article gives; other amounts are summed per currency. Click a bar to filter the articles; click a mark to open its article.</p>';
    html += '<div class="charts"><div>' + barChart('By authority', byAuthority, 'authority') + '</div><div>' + barChart('By country', byCountry, 'country') + '</div><div>' + barChart('By kind', byKind, 'kind') + '</div>';
    html += '<div><h2>Largest sanctions (EUR)</h2><table><tr><th>amount</th><th>authority</th><th>target</th><th>date</th></tr>'
      + largest.slice(0, 10).map((p) => '<tr><td class="num"><a href="#a=' + p.i + '&amp;s=' + p.k + '">' + esc(eurText(p.e)) + '</a></td><td>' + esc(p.s.authority ? p.s.authority.name : '—')
        + '</td><td>' + esc(p.s.target ? p.s.target.name : '—') + '</td><td>' + esc(p.s.date ? p.s.date.value : '—') + '</td></tr>').join('') + '</table></div></div>';
    html += '<h2>Timeline</h2>' + timeline(points);
    $('summary').innerHTML = html;
    timings.summary = performance.now() - t;
  }

  // ---------------------------------------------------------------- views, routing, keyboard
  function showView(v) {
    VIEWMODE = v;
    const summary = v === 'summary';
    $('summary').hidden = !summary;
    $('article').hidden = summary;
    $('sanctions').hidden = summary;
    $('tab-articles').setAttribute('aria-selected', String(!summary));
    $('tab-summary').setAttribute('aria-selected', String(summary));
    if (summary) renderSummary();
    else if (CUR >= 0) renderArticle(false);
  }
  function route(hash) {
    const h = new URLSearchParams(hash.replace(/^#/, ''));
    if (h.has('a')) {
      const i = +h.get('a');
      if (!(i >= 0 && i < N)) return;
      showView('articles');
      select(i, h.has('s') ? +h.get('s') : 0, { scroll: true });
    } else if (h.has('f')) {
      const f = h.get('f');
      const at = f.indexOf(':');
      if (at > 0 && SELECTS.includes(f.slice(0, at))) F[f.slice(0, at)] = f.slice(at + 1);
      syncFilterUI();
      showView('articles');
      refilter(true);
    }
  }
  $('summary').addEventListener('click', (e) => {
    const a = e.target.closest('a');
    if (!a) return;
    const href = a.getAttribute('href') || '';
    if (href.startsWith('#')) { e.preventDefault(); route(href); }
  });
  window.addEventListener('hashchange', () => route(location.hash));
  $('tabs').addEventListener('click', (e) => { const b = e.target.closest('button[data-view]'); if (b) showView(b.dataset.view); });

  function step(delta) {
    if (!VIEW.length) return;
    let p = position(CUR);
    if (VIEW[p] === CUR) p += delta;
    else p += delta > 0 ? delta - 1 : delta;
    select(VIEW[Math.max(0, Math.min(VIEW.length - 1, p))], 0, { scroll: true });
  }
  function stepSanction(delta) {
    if (CUR < 0) return;
    const n = sanctionsOf(CUR).length;
    if (!n) return;
    SEL = Math.max(0, Math.min(n - 1, SEL + delta));
    EDITING = EDITING >= 0 ? SEL : -1;
    refreshText();
    renderSanctions();
    scrollToSelected();
  }
  function openHelp(on) { $('help').hidden = !on; }
  document.addEventListener('keydown', (e) => {
    const el = e.target;
    const typing = el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
    if (e.key === 'Escape') {
      if (!$('help').hidden) openHelp(false);
      else if (typing) el.blur();
      else if (EDITING >= 0) { EDITING = -1; renderSanctions(); }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const keys = {
      j: () => step(1), ArrowDown: () => step(1), k: () => step(-1), ArrowUp: () => step(-1),
      PageDown: () => step(10), PageUp: () => step(-10),
      g: () => VIEW.length && select(VIEW[0], 0, { scroll: true }), G: () => VIEW.length && select(VIEW[VIEW.length - 1], 0, { scroll: true }),
      n: () => stepSanction(1), ArrowRight: () => stepSanction(1), p: () => stepSanction(-1), ArrowLeft: () => stepSanction(-1),
      a: () => decide(SEL, 'accepted'), r: () => decide(SEL, 'rejected'), u: () => decide(SEL, 'unreviewed'),
      e: () => {
        if (CUR < 0 || !sanctionsOf(CUR).length) return;
        EDITING = EDITING === SEL ? -1 : SEL;
        renderSanctions();
        const first = $('sanctions').querySelector('.card.current form input[type="text"]');
        if (first) first.focus();
      },
      d: () => articleDone(), '+': () => addSanction(),
      s: () => showView(VIEWMODE === 'summary' ? 'articles' : 'summary'),
      '/': () => $('f-search').focus(), '?': () => openHelp($('help').hidden), X: () => download(),
    };
    const fn = keys[e.key];
    if (fn) { e.preventDefault(); fn(); }
  });

  // ---------------------------------------------------------------- filter controls
  let searchTimer = 0;
  $('f-search').addEventListener('input', (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { F.search = e.target.value.trim().toLowerCase(); refilter(true); }, 120);
  });
  for (const name of SELECTS) $('f-' + name).addEventListener('change', (e) => { F[name] = e.target.value; refilter(true); });
  $('f-confidence').addEventListener('input', (e) => {
    F.confidence = +e.target.value;
    $('f-confidence-value').textContent = F.confidence.toFixed(2);
    refilter(true);
  });
  $('f-clear').addEventListener('click', () => {
    Object.assign(F, { search: '', language: '', authority: '', country: '', currency: '', kind: '', prior: '', confidence: 0, status: '' });
    syncFilterUI();
    refilter(true);
  });
  $('export').addEventListener('click', download);
  $('help-button').addEventListener('click', () => openHelp(true));
  $('help-close').addEventListener('click', () => openHelp(false));
  $('reset').addEventListener('click', () => {
    if (!window.confirm('Forget every decision and edit made on this page? Exported files are kept.')) return;
    localStorage.removeItem(STORE_KEY);
    for (let i = 0; i < N; i++) { W[i] = undefined; HAY[i] = undefined; }
    openHelp(false);
    buildOptions();
    renderProgress();
    refilter(false);
    if (CUR >= 0) renderArticle(false);
  });
  $('reviewer').value = localStorage.getItem(REVIEWER_KEY) || '';
  $('reviewer').addEventListener('change', (e) => localStorage.setItem(REVIEWER_KEY, e.target.value.trim()));
  window.addEventListener('beforeunload', saveNow);
  document.addEventListener('visibilitychange', () => { if (document.hidden) saveNow(); });
  window.addEventListener('resize', () => { if (!listFrame) listFrame = requestAnimationFrame(renderList); });

  // The regulator ids for the authority field.
  const dl = document.createElement('datalist');
  dl.id = 'kb-ids';
  dl.innerHTML = DATA.regulators.map((r) => '<option value="' + esc(r[0]) + '">' + esc(r[1] + ' (' + r[2] + ')') + '</option>').join('');
  document.body.appendChild(dl);

  // ---------------------------------------------------------------- start
  const restored = restore();
  const startHash = location.hash;
  buildOptions();
  renderProgress();
  if (startHash && /(^#|&)a=\d/.test(startHash)) {
    refilter(false, true);
    route(startHash);
  } else {
    refilter(false);
    if (startHash) route(startHash);
  }
  if (restored) toast('Restored the review of ' + restored + ' articles kept in this browser');
  timings.ready = performance.now();
  timings.start = timings.ready - started;

  // For tests, benchmarks and the console.
  window.reviewApp = {
    ready: true, timings, records: N,
    exportText, recStatus, route, nextFrame,
    state: () => ({ current: CUR, sanction: SEL, editing: EDITING, view: VIEWMODE, shown: VIEW.length, filters: Object.assign({}, F) }),
    renderedRows: () => inner.querySelectorAll('.row').length,
  };
  document.documentElement.dataset.ready = 'true';
})();
