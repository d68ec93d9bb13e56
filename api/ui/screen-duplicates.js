// Duplicates (#11): the identity resolver's review queue. Pairs of contacts that may be one person, highest score
// first, the two records side by side with what agrees, disagrees or is missing (and why); a person picks the record
// that survives and merges, or keeps them apart — by button or single-key shortcuts (off while typing). A merge can be
// undone from here right after. "Find duplicates now" runs the resolver's sweep instead of waiting for its schedule.
import { api, qs } from './api.js';
import { append, h, isTyping, replace, timeEl, percent, personName, words } from './dom.js';
import { actionButton, clearErrors, formError, problemBox, showErrors } from './parts.js';

const shortcuts = [
  ['j', 'next pair'],
  ['k', 'previous pair'],
  ['1', 'record 1 survives'],
  ['2', 'record 2 survives'],
  ['m', 'merge'],
  ['x', 'keep apart'],
  ['u', 'undo the last merge'],
  ['Esc', 'leave the field (shortcuts work again)'],
];

// Text and a symbol for each outcome: colour only repeats what the words say.
const outcomes = {
  agrees: { symbol: '✓', text: 'agrees' },
  disagrees: { symbol: '✗', text: 'disagrees' },
  missing: { symbol: '–', text: 'missing' },
};

const fieldWords = { email: 'Email', phone: 'Phone', linkedin: 'LinkedIn', name: 'Name', company: 'Company', domain: 'Company domain', title: 'Job title', country: 'Country' };

const bandWords = { merge: 'merge band: merged automatically', review: 'review band: a person decides', keep_apart: 'below the review band' };

const signed = (n) => (typeof n === 'number' ? `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(1)}` : '—');

/** Radios are not text fields: the letter shortcuts keep working while one has focus. */
const typingIn = (target) => isTyping(target) && !(target instanceof Element && target.tagName === 'INPUT' && ['radio', 'checkbox'].includes(target.type));

export const duplicatesScreen = {
  title: 'Duplicates',
  roles: ['manager', 'admin'],
  mount(ctx) {
    let pending = [];
    let selectedId = null;
    let listKey = '';
    let detailApi = null;
    let lastMerge = null;
    let loaded = false;

    const flash = h('div', { class: 'flash', role: 'status' });
    const undoArea = h('div', { class: 'actions undo-area', hidden: true });
    const listEl = h('div', { class: 'approval-list' }, h('p', { class: 'muted' }, 'Loading…'));
    const detailEl = h('section', { class: 'approval-detail', 'aria-label': 'Selected pair' });
    const reportEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const report = h('details', { class: 'panel' }, h('summary', null, 'How past pairs were decided'), reportEl);
    const sweepButton = actionButton('Find duplicates now', async () => {
      await api('/v1/identity/sweep', { method: 'POST', body: {} });
      flash.replaceChildren(h('p', null, 'Looking for duplicates now. New pairs appear in the queue when the search finishes; the list refreshes on its own.'));
      for (const ms of [2_000, 6_000]) {
        const timer = setTimeout(() => void loadList().catch(() => undefined), ms);
        ctx.onCleanup(() => clearTimeout(timer));
      }
    });

    append(ctx.root,
      h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, 'Duplicates'), h('div', { class: 'actions' }, sweepButton)),
      h('p', { class: 'lede' }, 'Contacts that may be the same person, most likely first. Compare them, pick the record that survives, and merge — or keep them apart.'),
      h('aside', { class: 'shortcuts', 'aria-label': 'Keyboard shortcuts' },
        h('h2', null, 'Keyboard'),
        h('ul', null, shortcuts.map(([key, what]) => h('li', null, h('kbd', null, key), ` ${what}`)))),
      flash,
      undoArea,
      h('div', { class: 'split' }, h('nav', { 'aria-label': 'Pairs waiting for review' }, listEl), detailEl),
      report);

    report.addEventListener('toggle', () => {
      if (report.open) void loadReport();
    });

    const pairName = (p) => `${p.a ? personName(p.a) : 'a deleted contact'} and ${p.b ? personName(p.b) : 'a deleted contact'}`;

    async function loadList() {
      const { data } = await api(`/v1/match-reviews${qs({ status: 'pending', limit: 200 })}`);
      data.sort((x, y) => y.score - x.score);
      pending = data;
      loaded = true;
      if (selectedId && !pending.some((p) => p.id === selectedId)) selectedId = null;
      drawList();
      if (!selectedId) show(pending[0]?.id ?? null);
    }

    function drawList() {
      const key = JSON.stringify([pending.map((p) => [p.id, p.score]), selectedId]);
      if (key === listKey) return;
      listKey = key;
      if (pending.length === 0) {
        replace(listEl, h('p', null, 'No pairs are waiting for review.'));
        return;
      }
      replace(listEl,
        h('p', { class: 'muted' }, `${pending.length} waiting`),
        h('ol', { class: 'pick-list' }, pending.map((p) => h('li', null,
          h('button', { type: 'button', class: 'pick', 'data-key': `pair-${p.id}`, 'aria-current': p.id === selectedId ? 'true' : null, onClick: () => show(p.id) },
            h('span', { class: 'pick-title' }, pairName(p)),
            h('span', { class: 'pick-sub' }, `score ${percent(p.score)} · ${words(p.band)} band`))))));
    }

    function neighbour(step) {
      if (pending.length === 0) return null;
      const index = pending.findIndex((p) => p.id === selectedId);
      const next = index === -1 ? 0 : Math.min(pending.length - 1, Math.max(0, index + step));
      return pending[next]?.id ?? null;
    }

    function show(id, { focus = false } = {}) {
      selectedId = id;
      drawList();
      detailApi = null;
      const pair = pending.find((p) => p.id === id);
      if (!pair) {
        replace(detailEl, h('p', { class: 'muted' }, loaded && pending.length === 0 ? 'Nothing to decide. "Find duplicates now" looks again.' : 'Pick a pair from the list (or press j).'));
        return;
      }
      drawDetail(pair);
      if (focus) detailEl.querySelector('h2')?.focus();
    }

    function recordCell(c) {
      return c ? h('a', { href: `#/contacts/${c.id}` }, personName(c)) : h('span', { class: 'muted' }, 'This contact no longer exists');
    }

    function drawDetail(pair) {
      const { a, b } = pair;
      const headingId = `pair-${pair.id}`;
      const rows = [
        ['Name', (c) => recordCell(c)],
        ['Email addresses', (c) => (c?.emails?.length ? h('ul', { class: 'plain-inline' }, c.emails.map((e) => h('li', null, e))) : '—')],
        ['Phone', (c) => c?.phoneE164 ?? '—'],
        ['Job title', (c) => c?.title ?? '—'],
        ['Account', (c) => c?.accountName ?? '—'],
        ['Created', (c) => (c ? timeEl(c.createdAt, { showRelative: false }) : '—')],
      ];
      const records = h('table', { class: 'side-by-side' },
        h('caption', null, 'The two records side by side'),
        h('thead', null, h('tr', null,
          h('td', null),
          h('th', { scope: 'col' }, 'Record 1'),
          h('th', { scope: 'col' }, 'Record 2'))),
        h('tbody', null, rows.map(([label, cell]) => h('tr', null, h('th', { scope: 'row' }, label), h('td', null, cell(a)), h('td', null, cell(b))))));

      const fields = Array.isArray(pair.fields) ? pair.fields : [];
      const evidence = fields.length === 0 ? h('p', { class: 'muted' }, 'The resolver left no explanation for this pair.') : h('table', { class: 'evidence' },
        h('caption', null, 'How the fields compare'),
        h('thead', null, h('tr', null, ['Field', 'Outcome', 'Similarity', 'Evidence', 'Why'].map((t) => h('th', { scope: 'col', class: t === 'Similarity' || t === 'Evidence' ? 'num' : null }, t)))),
        h('tbody', null, fields.map((f) => {
          const o = outcomes[f.outcome] ?? { symbol: '?', text: words(f.outcome) };
          return h('tr', { 'data-outcome': f.outcome },
            h('th', { scope: 'row' }, fieldWords[f.field] ?? words(f.field)),
            h('td', null, h('span', { class: `outcome outcome-${f.outcome}` }, h('span', { 'aria-hidden': 'true' }, `${o.symbol} `), o.text)),
            h('td', { class: 'num' }, f.similarity === null || f.similarity === undefined ? '—' : percent(f.similarity)),
            h('td', { class: 'num' }, signed(f.weight)),
            h('td', null, f.explanation ?? ''));
        })));

      const canMerge = Boolean(a && b);
      const radio = (c, n, checked) => h('label', null,
        h('input', { type: 'radio', name: 'survivor', value: c?.id ?? '', checked, disabled: !c, 'aria-keyshortcuts': String(n) }),
        ` Record ${n}: ${c ? personName(c) : 'deleted'} survives`);
      const form = h('form', { class: 'stack', 'aria-label': 'Decide this pair', novalidate: true },
        formError(),
        h('fieldset', { class: 'inline' },
          h('legend', null, 'Which record survives?'),
          radio(a, 1, true),
          radio(b, 2, false)),
        h('p', { class: 'hint' }, 'The other record is merged into the survivor: its email addresses, activities, deals and cadences move over, and empty fields are filled from it. A merge can be undone.'),
        h('div', { class: 'actions', role: 'group', 'aria-label': 'Decision' },
          h('button', { type: 'button', class: 'primary', 'aria-keyshortcuts': 'm', disabled: !canMerge, onClick: () => void merge() }, 'Merge'),
          h('button', { type: 'button', 'aria-keyshortcuts': 'x', onClick: () => void keepApart() }, 'Keep apart')));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void merge();
      });
      const choose = (n) => {
        const input = form.querySelectorAll('input[name="survivor"]')[n - 1];
        if (input && !input.disabled) input.checked = true;
      };

      let deciding = false;
      async function decide(body, done) {
        if (deciding) return;
        deciding = true;
        clearErrors(form);
        detailEl.setAttribute('aria-busy', 'true');
        try {
          const result = await api(`/v1/match-reviews/${pair.id}/decision`, { method: 'POST', body });
          const next = neighbour(1) === pair.id ? neighbour(-1) : neighbour(1);
          pending = pending.filter((p) => p.id !== pair.id);
          done(result);
          if (next && next !== pair.id) show(next, { focus: true });
          else {
            show(null);
            (undoArea.hidden ? detailEl.querySelector('p') : undoArea.querySelector('button'))?.focus();
          }
          // What the server has now (another manager may have decided pairs meanwhile).
          void loadList().catch(() => undefined);
        } catch (err) {
          showErrors(form, err);
          if (err.status === 409 || err.status === 404) void loadList().catch(() => undefined);
        } finally {
          deciding = false;
          detailEl.removeAttribute('aria-busy');
        }
      }

      function merge() {
        if (!canMerge) {
          showErrors(form, { detail: 'One of the two contacts no longer exists: there is nothing to merge. Keep them apart to clear the pair.' });
          return;
        }
        const survivorId = form.elements.namedItem('survivor').value;
        const [survivor, loser] = survivorId === b.id ? [b, a] : [a, b];
        return decide({ decision: 'merge', survivorId }, (result) => {
          lastMerge = { mergeId: result.mergeId, survivor, loser };
          flash.replaceChildren(h('p', null, `Merged: ${personName(loser)} was merged into ${personName(survivor)}, which survives.`));
          drawUndo();
        });
      }

      function keepApart() {
        return decide({ decision: 'keep_apart' }, () => {
          flash.replaceChildren(h('p', null, `Kept apart: ${pairName(pair)} stay two contacts.`));
        });
      }

      replace(detailEl,
        h('h2', { id: headingId, tabindex: '-1' }, pairName(pair)),
        h('p', null, h('strong', null, `Match score ${percent(pair.score)}`), ` (${bandWords[pair.band] ?? `${words(pair.band)} band`})`),
        records,
        evidence,
        form);
      detailApi = { merge, keepApart, choose };
    }

    function drawUndo() {
      if (!lastMerge?.mergeId) {
        undoArea.hidden = true;
        undoArea.replaceChildren();
        return;
      }
      const { mergeId, survivor, loser } = lastMerge;
      const button = actionButton('Undo merge', async () => {
        await api(`/v1/contact-merges/${mergeId}/unmerge`, { method: 'POST', body: {} });
        lastMerge = null;
        flash.replaceChildren(h('p', null, `Merge undone: ${personName(survivor)} and ${personName(loser)} are two contacts again.`));
        drawUndo();
        (detailEl.querySelector('h2') ?? ctx.root.querySelector('h1'))?.focus();
      }, { 'aria-keyshortcuts': 'u', 'aria-label': `Undo merge of ${personName(loser)} into ${personName(survivor)}` });
      undoArea.replaceChildren(button);
      undoArea.hidden = false;
    }

    async function loadReport() {
      try {
        const { data } = await api('/v1/identity/report');
        replace(reportEl, data.length === 0 ? h('p', null, 'No pairs have been found yet.') : h('table', null,
          h('caption', { class: 'visually-hidden' }, 'How past pairs were decided, per band'),
          h('thead', null, h('tr', null, ['Band', 'Outcome', 'Pairs', 'Scores'].map((t) => h('th', { scope: 'col', class: t === 'Pairs' ? 'num' : null }, t)))),
          h('tbody', null, data.map((r) => h('tr', null,
            h('th', { scope: 'row' }, words(r.band)),
            h('td', null, words(r.status)),
            h('td', { class: 'num' }, String(r.pairs)),
            h('td', null, r.minScore === r.maxScore ? percent(r.minScore) : `${percent(r.minScore)} to ${percent(r.maxScore)}`))))));
      } catch (err) {
        replace(reportEl, problemBox(err));
      }
    }

    const onKey = (event) => {
      if (event.key === 'Escape' && isTyping(event.target)) {
        event.target.blur();
        return;
      }
      if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const actions = {
        j: () => show(neighbour(1), { focus: true }),
        k: () => show(neighbour(-1), { focus: true }),
        1: () => detailApi?.choose(1),
        2: () => detailApi?.choose(2),
        m: () => void detailApi?.merge(),
        x: () => void detailApi?.keepApart(),
        u: () => undoArea.querySelector('button:not(:disabled)')?.click(),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

    void loadList().catch((err) => {
      replace(listEl, problemBox(err));
      replace(detailEl);
    });
    ctx.every(15_000, async () => {
      await loadList();
    });
  },
};
