// Call notes: paste the notes or transcript of a call (for a deal, and a contact if you like), the recent ones, and a
// note's page — who read it (the AI, or the offline rules and why), the summary, and what it proposed: applied,
// waiting for a person (decided in Approvals) or not applied, each change in words with the words it rests on.
import { ApiError, api, listAll, qs } from './api.js';
import { append, h, personName, replace, uid, when, words } from './dom.js';
import { callNoteList, callNoteTitle, facts, field, formError, onSubmit, problemBox, proposalQuote, proposalText, section } from './parts.js';

const formats = [['', 'Detect'], ['plain', 'Plain notes'], ['speaker', 'Speaker lines ("Name: text")'], ['webvtt', 'WebVTT'], ['srt', 'SRT']];
const localNow = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export const callNotesScreen = {
  title: 'Call notes',
  mount(ctx) {
    const form = h('form', { class: 'stack', 'aria-label': 'Paste call notes', novalidate: true }, h('p', { class: 'muted' }, 'Loading…'));
    const listEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    append(ctx.root,
      h('h1', { tabindex: '-1' }, 'Call notes'),
      h('p', { class: 'lede' }, 'Paste your notes or the transcript of a call. Closeloop proposes the changes they support, each with the words it rests on: tasks are added at once, changes to the deal or to who we write to wait for your approval.'),
      section('Paste notes or a transcript', form),
      section('Recent call notes', listEl));

    void (async () => {
      let deals;
      let contacts;
      try {
        [deals, contacts] = await Promise.all([listAll('/v1/deals', {}, 1000), listAll('/v1/contacts', {}, 2000).catch(() => [])]);
      } catch (err) {
        replace(form, problemBox(err));
        replace(listEl);
        return;
      }
      const dealName = new Map(deals.map((d) => [d.id, d.name]));
      const preset = ctx.query.get('dealId');
      replace(form,
        formError(),
        field({ label: 'Notes or transcript', name: 'text', kind: 'textarea', required: true, attrs: { rows: 12, spellcheck: 'true' }, hint: 'Your own notes, "Name: what they said" lines, or a WebVTT / SRT file\'s text.' }),
        h('div', { class: 'grid2' },
          field({ label: 'Format', name: 'format', kind: 'select', value: '', options: formats, hint: 'Detect reads the format from the text.' }),
          field({ label: 'Title', name: 'title', attrs: { maxlength: 300 }, hint: 'e.g. "Discovery call with Priya"' }),
          field({ label: 'Deal', name: 'dealId', kind: 'select', value: preset ?? '', options: [['', deals.length ? 'Choose a deal…' : 'No deals yet'], ...deals.map((d) => [d.id, `${d.name} (${words(d.stage)})`])] }),
          field({ label: 'Contact (optional)', name: 'contactId', kind: 'select', options: [['', 'Nobody in particular']] }),
          field({ label: 'When was the call', name: 'occurredAt', type: 'datetime-local', value: localNow(), hint: 'Times said in the notes ("by Friday") are read from it.' })),
        h('button', { type: 'submit', class: 'primary' }, 'Read the notes'));

      // The people at the chosen deal's account come first; anyone may have been on the call.
      const dealSelect = form.elements.namedItem('dealId');
      const contactSelect = form.elements.namedItem('contactId');
      const live = contacts.filter((c) => !c.erasedAt).sort((a, b) => personName(a).localeCompare(personName(b)));
      const fillContacts = () => {
        const chosen = contactSelect.value;
        const deal = deals.find((d) => d.id === dealSelect.value);
        const option = (c) => h('option', { value: c.id, selected: c.id === chosen }, `${personName(c)}${c.title ? ` — ${c.title}` : ''}`);
        const atAccount = deal ? live.filter((c) => c.accountId === deal.accountId) : [];
        const others = deal ? live.filter((c) => c.accountId !== deal.accountId) : live;
        replace(contactSelect,
          h('option', { value: '' }, 'Nobody in particular'),
          atAccount.length ? h('optgroup', { label: 'At the deal\'s account' }, atAccount.map(option)) : null,
          others.length ? (deal ? h('optgroup', { label: 'Everyone else' }, others.map(option)) : others.map(option)) : null);
      };
      dealSelect.addEventListener('change', fillContacts);
      fillContacts();

      onSubmit(form, (v) => {
        if (!v.text) throw new ApiError({ status: 0, detail: 'There is nothing to read yet.', errors: [{ field: 'body.text', message: 'Paste the notes or the transcript of the call' }] });
        const occurredAt = v.occurredAt ? new Date(v.occurredAt) : null;
        return api('/v1/call-notes', {
          method: 'POST',
          body: {
            text: v.text,
            format: v.format,
            title: v.title,
            occurredAt: occurredAt && !Number.isNaN(occurredAt.getTime()) ? occurredAt.toISOString() : null,
            dealId: v.dealId,
            accountId: null,
            contactId: v.contactId,
            participants: [],
            source: 'ui',
          },
        });
      }, (posted) => {
        ctx.announce('Notes posted: reading them now');
        location.hash = `#/call-notes/${posted.id}`;
      });

      try {
        const { data } = await api(`/v1/call-notes${qs({ limit: 20 })}`);
        replace(listEl, callNoteList(data, (id) => dealName.get(id)));
      } catch (err) {
        replace(listEl, problemBox(err));
      }
    })();
  },
};

const dropReasons = {
  quote_not_in_input: 'its quote is not in the notes',
  quote_too_short: 'its quote is too short to prove anything',
  value_not_in_quote: 'its quote does not say what it proposed',
};
const notApplied = ['rejected', 'expired', 'superseded'];
const notAppliedWords = { rejected: 'Rejected', expired: 'Expired', superseded: 'Superseded' };

export const callNoteScreen = {
  title: 'Call note',
  mount(ctx) {
    const id = ctx.params.id;
    const heading = h('h1', { tabindex: '-1' }, 'Call note');
    const backEl = h('p', null, h('a', { href: '#/call-notes' }, '← All call notes'));
    const statusEl = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
    const bodyEl = h('div');
    append(ctx.root, backEl, heading, statusEl, bodyEl);
    let lastKey = '';
    let settled = false;
    let lastLoad = 0;
    let deal;

    async function load() {
      lastLoad = Date.now();
      const note = await api(`/v1/call-notes/${id}`);
      // The proposals exist once the notes are read; until then only the note is polled.
      const read = ['proposed', 'completed', 'failed'].includes(note.status);
      const proposals = read ? await listAll('/v1/call-note-proposals', { callNoteId: id }, 500) : [];
      const waiting = proposals.some((p) => p.status === 'pending' && p.policy === 'approve');
      const approvals = waiting ? (await api(`/v1/approvals${qs({ status: 'pending', limit: 200 })}`)).data : [];
      if (deal === undefined) deal = note.dealId ? await api(`/v1/deals/${note.dealId}`).catch(() => null) : null;
      settled = note.status === 'completed' || note.status === 'failed' || (read && !proposals.some((p) => p.status === 'pending' && p.policy === 'apply'));
      const key = JSON.stringify([note, proposals, approvals.map((a) => [a.id, a.proposalId])]);
      if (key === lastKey) return;
      lastKey = key;
      draw(note, proposals, approvals);
    }

    function statusLine(note, proposals) {
      const waiting = proposals.filter((p) => p.status === 'pending' && p.policy === 'approve').length;
      if (note.status === 'received' || note.status === 'extracting') return h('p', { class: 'notice', 'aria-busy': 'true' }, 'Reading the notes… the proposals appear here in a few seconds.');
      if (note.status === 'failed') return null;
      if (waiting > 0) return h('p', { class: 'notice' }, `${waiting} change${waiting === 1 ? ' waits' : 's wait'} for your approval in `, h('a', { href: '#/approvals' }, 'Approvals'), '.');
      return h('p', { class: 'notice' }, note.status === 'completed' ? 'Done: every proposal was applied or decided.' : 'Applying the proposals…');
    }

    function extractorPanel(note) {
      const offline = note.extractor === 'offline';
      return [
        note.fallbackReason ? h('p', { class: 'notice' }, h('strong', null, 'The AI could not read these notes, so the offline rules did. '), `Why: ${note.fallbackReason}`) : null,
        facts([
          ['Read by', [h('span', null, note.extractorLabel ?? words(note.extractor)), ' ', h('span', { class: offline ? 'badge warn' : 'badge' }, offline ? 'Offline: no AI' : 'AI')]],
          ['Model', note.model ?? (offline ? 'none (rules)' : '—')],
          [offline ? 'Rule set version' : 'Prompt version', note.promptVersion],
          note.fallbackReason ? ['Why offline', note.fallbackReason] : null,
        ]),
      ];
    }

    function proposalItem(p, approvalOf) {
      const approvalId = approvalOf.get(p.id);
      return h('li', { class: 'proposal' },
        h('p', { class: 'proposal-change' }, proposalText(p)),
        proposalQuote(p),
        p.status === 'pending' && p.policy === 'approve'
          ? h('p', null, approvalId ? h('a', { href: `#/approvals/${approvalId}`, 'aria-label': `Decide in Approvals: ${proposalText(p)}` }, 'Decide in Approvals') : h('span', { class: 'muted' }, 'Not in Approvals yet.'))
          : null,
        notApplied.includes(p.status) ? h('p', null, h('span', { class: 'badge warn' }, notAppliedWords[p.status]), ' ', p.statusReason ?? '') : null);
    }

    function group(title, items, approvalOf, empty) {
      const headingId = uid('group');
      return h('section', { 'aria-labelledby': headingId, class: 'proposal-group' },
        h('h3', { id: headingId }, title),
        items.length === 0 ? h('p', { class: 'muted' }, empty) : h('ul', { class: 'proposals' }, items.map((p) => proposalItem(p, approvalOf))));
    }

    function draw(note, proposals, approvals) {
      heading.textContent = callNoteTitle(note);
      document.title = `${heading.textContent} · Closeloop`;
      replace(backEl, deal ? [h('a', { href: `#/deals/${deal.id}` }, `← ${deal.name}`), ' · '] : null, h('a', { href: '#/call-notes' }, 'All call notes'));
      replace(statusEl, statusLine(note, proposals));
      const about = facts([
        ['Deal', deal ? h('a', { href: `#/deals/${deal.id}` }, deal.name) : '—'],
        ['When', when(note.occurredAt)],
        ['Format', words(note.format)],
        ['Status', words(note.status)],
      ]);
      const notes = h('details', { class: 'panel' }, h('summary', null, 'The notes as posted'), h('pre', { class: 'email-body' }, note.transcriptText ?? ''));
      if (note.status === 'failed') {
        replace(bodyEl, h('div', { class: 'form-error', role: 'alert' }, h('p', null, h('strong', null, 'These notes could not be read: '), note.statusReason ?? 'no reason was recorded.')), about, notes);
        return;
      }
      if (!['proposed', 'completed'].includes(note.status)) {
        replace(bodyEl, about, notes);
        return;
      }
      const approvalOf = new Map(approvals.filter((a) => a.proposalId).map((a) => [a.proposalId, a.id]));
      const sorted = [...proposals].sort((a, b) => a.ordinal - b.ordinal);
      const applying = sorted.filter((p) => p.status === 'pending' && p.policy === 'apply');
      const dropped = Array.isArray(note.dropped) ? note.dropped : [];
      const n = note.droppedCount;
      replace(bodyEl,
        about,
        section('Who read the notes', extractorPanel(note)),
        section('Summary', h('p', null, note.summary ?? 'No summary.')),
        section('What the notes propose',
          group('Applied', sorted.filter((p) => p.status === 'applied'), approvalOf, 'Nothing applied yet.'),
          applying.length ? group('Being applied', applying, approvalOf, '') : null,
          group('Waiting for your approval', sorted.filter((p) => p.status === 'pending' && p.policy === 'approve'), approvalOf, 'Nothing waits for you.'),
          group('Not applied', sorted.filter((p) => notApplied.includes(p.status)), approvalOf, 'None.'),
          n > 0
            ? h('details', { class: 'dropped' },
                h('summary', null, `${n} proposal${n === 1 ? '' : 's'} dropped: ${n === 1 ? 'its' : 'their'} quote is not in the notes`),
                h('ul', null, dropped.map((d) => h('li', null,
                  h('p', null, h('strong', null, words(d.field)), ` — ${dropReasons[d.reason] ?? words(d.reason)}`),
                  h('figure', { class: 'quote' }, h('blockquote', null, h('p', null, d.quote)))))))
            : h('p', { class: 'muted' }, 'Nothing was dropped: every proposal quotes the notes.')),
        notes);
    }

    void load().catch((err) => replace(statusEl, problemBox(err)));
    // Quickly while the notes are read and applied, then slowly (decisions in Approvals show up here too).
    ctx.every(1000, async () => {
      if (settled && Date.now() - lastLoad < 5000) return;
      await load();
    });
  },
};
