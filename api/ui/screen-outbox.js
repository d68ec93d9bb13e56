// The outbox: every outbound email with its state in words (sent, queued, waiting for capacity — and why, and when it
// tries next), and the emails the offline outbox stored instead of sending them (the embedded default).
import { api, qs } from './api.js';
import { append, h, replace, timeEl } from './dom.js';
import { messageStatusText, problemBox, section } from './parts.js';

const statuses = ['awaiting_approval', 'approved', 'waiting_for_capacity', 'sending', 'sent', 'blocked', 'needs_attention', 'draft', 'rejected', 'expired', 'skipped', 'cancelled'];

const reasonWords = (reason) => (reason ?? '').split(',').filter(Boolean).map((r) => r.replace(/_/g, ' ')).join('; ');

export const outboxScreen = {
  title: 'Outbox',
  mount(ctx) {
    const statusFilter = h('select', { id: 'outbox-status' }, h('option', { value: '' }, 'Any status'), statuses.map((s) => h('option', { value: s }, messageStatusText(s))));
    const messagesEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const storedEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const more = h('button', { type: 'button', hidden: true }, 'Load more');
    let messages = [];
    let cursor = null;
    let keys = ['', ''];

    append(ctx.root, 
      h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, 'Outbox'), h('button', { type: 'button', onClick: () => void refresh(true) }, 'Refresh')),
      h('p', { class: 'lede' }, 'What was sent, what is queued, and what waits — with the reason and the next try.'),
      section('Outbound emails',
        h('div', { class: 'field' }, h('label', { for: 'outbox-status' }, 'Show'), statusFilter),
        messagesEl,
        more),
      section('Stored by the offline outbox',
        h('p', { class: 'hint' }, 'Without an email provider configured, Closeloop stores each email here instead of sending it: nothing below left this server.'),
        storedEl));

    function drawMessages() {
      replace(messagesEl, messages.length === 0 ? h('p', null, 'No outbound emails here.') : h('table', null,
        h('caption', { class: 'visually-hidden' }, 'Outbound emails'),
        h('thead', null, h('tr', null, ['To', 'Subject', 'Status', 'Why / next', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, messages.map((m) => h('tr', null,
          h('td', null, h('a', { href: `#/contacts/${m.contactId}` }, m.toAddress ?? 'contact')),
          h('td', null, m.subject ?? '(no subject)'),
          h('td', null, h('span', { class: `badge status-${m.status}` }, messageStatusText(m.status))),
          h('td', null, m.statusReason ? reasonWords(m.statusReason) : m.status === 'awaiting_approval' ? 'A person approves it first' : '—', m.nextActionAt ? [h('br'), m.status === 'awaiting_approval' ? 'due ' : 'next try ', timeEl(m.nextActionAt)] : ''),
          h('td', null, timeEl(m.updatedAt)))))));
    }

    async function loadMessages(reset) {
      if (reset) {
        messages = [];
        cursor = null;
      }
      const page = await api(`/v1/outbound-messages${qs({ status: statusFilter.value, limit: 50, cursor })}`);
      messages = [...messages, ...page.data];
      cursor = page.nextCursor;
      more.hidden = !cursor;
    }

    async function refresh(force = false) {
      try {
        // Refresh what is on screen (the first pages) without losing "load more".
        const count = Math.max(50, messages.length);
        const [page, stored] = await Promise.all([api(`/v1/outbound-messages${qs({ status: statusFilter.value, limit: Math.min(200, count) })}`), api('/v1/outbox')]);
        const k = [JSON.stringify(page.data), JSON.stringify(stored.data)];
        if (force || k[0] !== keys[0]) {
          messages = page.data;
          cursor = page.nextCursor;
          more.hidden = !cursor;
          drawMessages();
        }
        if (force || k[1] !== keys[1]) {
          replace(storedEl, stored.data.length === 0 ? h('p', null, 'Nothing stored yet.') : h('ol', { class: 'mail-list' }, stored.data.map((m) => h('li', null,
            h('article', { 'aria-label': `Email to ${m.toAddress}: ${m.subject}` },
              h('h3', null, m.subject),
              h('p', { class: 'muted' }, `From ${m.fromHeader} to ${m.toAddress} · `, timeEl(m.createdAt)),
              h('pre', { class: 'email-body' }, m.bodyText))))));
        }
        keys = k;
      } catch (err) {
        replace(messagesEl, problemBox(err));
      }
    }

    statusFilter.addEventListener('change', () => void loadMessages(true).then(drawMessages, (err) => replace(messagesEl, problemBox(err))));
    more.addEventListener('click', () => void loadMessages(false).then(drawMessages, (err) => replace(messagesEl, problemBox(err))));
    void refresh(true);
    ctx.every(4000, refresh);
  },
};
