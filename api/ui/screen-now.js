// What to do now: approvals, tasks, callbacks and meetings in one queue by due time, each actionable in place; and
// the prep briefs ready for your coming meetings, readable in place.
import { api, qs } from './api.js';
import { append, h, relative, replace, timeEl, uid, when } from './dom.js';
import { actionButton, problemBox, section } from './parts.js';

const kindLabel = { approval: 'Approval', task: 'Task', callback: 'Call back', meeting: 'Meeting' };
// Briefs of meetings that started more than this long ago are done with (the queue shows meetings as long).
const BRIEF_AFTER_START_MS = 60 * 60_000;

/** **bold** inside a line, as text and <strong> nodes. */
const inline = (text) => text.split(/\*\*(.+?)\*\*/g).map((part, i) => (i % 2 === 1 ? h('strong', null, part) : part));

/**
 * A brief's markdown as elements — "#" and "##" headings (under the page's own), "- " lists, **bold**, other lines as
 * paragraphs — every piece of it as text: nothing in the file becomes markup.
 */
function markdownView(markdown) {
  const blocks = [];
  let list = null;
  for (const raw of String(markdown).split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('- ')) {
      if (!list) blocks.push((list = h('ul')));
      list.append(h('li', null, inline(line.slice(2))));
      continue;
    }
    list = null;
    if (!line.trim()) continue;
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    blocks.push(heading ? h(`h${heading[1].length + 2}`, null, inline(heading[2])) : h('p', null, inline(line)));
  }
  return blocks;
}

export const nowScreen = {
  title: 'What to do now',
  mount(ctx) {
    const list = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    const briefsEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    let shown = '';
    let briefsShown = '';
    // Briefs read so far (id → { title, markdown }) and the ones open: both outlive a redraw of the list.
    const briefText = new Map();
    const openBriefs = new Set();
    append(ctx.root, 
      h('div', { class: 'title-row' },
        h('h1', { tabindex: '-1' }, 'What to do now'),
        h('button', { type: 'button', onClick: () => void Promise.all([load(true), loadBriefs()]) }, 'Refresh')),
      h('p', { class: 'lede' }, 'Everything waiting for you, soonest first. Overdue items are marked.'),
      list,
      section('Meeting briefs', briefsEl));

    function item(i) {
      const dueText = i.dueAt ? (i.overdue ? `Overdue: was due ${relative(i.dueAt)}` : `Due ${relative(i.dueAt)}`) : 'No due time';
      const contact = i.contactId ? h('a', { href: `#/contacts/${i.contactId}`, 'data-key': `c-${i.id}` }, i.contactName ?? 'Contact') : null;
      let action = null;
      let title;
      if (i.kind === 'approval') {
        title = h('a', { href: `#/approvals/${i.id}`, 'data-key': `a-${i.id}` }, i.title);
        action = h('a', { href: `#/approvals/${i.id}`, class: 'button', 'aria-label': `Open approval: ${i.title}` }, 'Open');
      } else if (i.kind === 'task' || i.kind === 'callback') {
        title = h('span', null, i.title);
        action = actionButton('Mark done', async () => {
          await api(`/v1/tasks/${i.id}`, { method: 'PATCH', body: { status: 'done' } });
          ctx.announce(`Done: ${i.title}`);
          await load(true);
        }, { 'aria-label': `Mark done: ${i.title}`, 'data-key': `done-${i.id}` });
      } else {
        title = h('span', null, i.title);
      }
      return h('li', { class: i.overdue ? 'queue-item overdue' : 'queue-item' },
        h('span', { class: `badge kind-${i.kind}` }, kindLabel[i.kind] ?? i.kind),
        h('div', { class: 'queue-main' },
          h('p', { class: 'queue-title' }, title),
          h('p', { class: 'muted' }, contact ? ['With ', contact, ' · '] : null, i.overdue ? h('strong', { class: 'overdue-text' }, dueText) : dueText, i.dueAt ? [' · ', timeEl(i.dueAt, { showRelative: false })] : null)),
        h('div', { class: 'queue-action' }, action));
    }

    async function load(force = false) {
      try {
        const { items } = await api('/v1/now');
        const key = JSON.stringify(items);
        if (key === shown && !force) return;
        shown = key;
        const overdue = items.filter((i) => i.overdue).length;
        replace(list,
          items.length === 0
            ? h('p', null, 'Nothing waiting for you right now. ', h('a', { href: '#/start' }, 'Start a playbook'), '?')
            : [
                h('p', { class: 'muted' }, `${items.length} item${items.length === 1 ? '' : 's'}${overdue ? `, ${overdue} overdue` : ''}.`),
                h('ol', { class: 'queue', 'aria-label': 'Your queue' }, items.map(item)),
              ]);
      } catch (err) {
        replace(list, problemBox(err));
      } finally {
        list.setAttribute('aria-busy', 'false');
      }
    }
    function brief(b) {
      const bodyId = uid('brief');
      const body = h('div', { id: bodyId, class: 'brief-body', hidden: !openBriefs.has(b.id) });
      const label = `the brief for the meeting of ${when(b.meetingStartAt)}`;
      const toggle = h('button', { type: 'button', 'aria-expanded': String(openBriefs.has(b.id)), 'aria-controls': bodyId, 'data-key': `brief-${b.id}`, 'aria-label': `Read ${label}` }, openBriefs.has(b.id) ? 'Hide' : 'Read');
      const fill = async () => {
        try {
          if (!briefText.has(b.id)) briefText.set(b.id, await api(`/v1/meeting-briefs/${b.id}/content`));
          const { title, markdown } = briefText.get(b.id);
          replace(body, h('article', { class: 'brief', 'aria-label': title }, markdownView(markdown)));
        } catch (err) {
          replace(body, problemBox(err));
        }
      };
      toggle.addEventListener('click', async () => {
        const opening = !openBriefs.has(b.id);
        if (opening) openBriefs.add(b.id);
        else openBriefs.delete(b.id);
        toggle.setAttribute('aria-expanded', String(opening));
        toggle.setAttribute('aria-label', `${opening ? 'Hide' : 'Read'} ${label}`);
        toggle.textContent = opening ? 'Hide' : 'Read';
        body.hidden = !opening;
        if (opening) {
          replace(body, h('p', { class: 'muted' }, 'Loading the brief…'));
          await fill();
        }
      });
      if (openBriefs.has(b.id)) void fill();
      return h('li', { class: 'queue-item brief-item' },
        h('span', { class: 'badge kind-meeting' }, 'Brief'),
        h('div', { class: 'queue-main' },
          h('p', { class: 'queue-title' }, 'Meeting ', timeEl(b.meetingStartAt)),
          h('p', { class: 'muted' }, 'Brief ready; due ', timeEl(b.dueAt, { showRelative: false }))),
        h('div', { class: 'queue-action' }, toggle),
        body);
    }

    async function loadBriefs() {
      try {
        const { data } = await api(`/v1/meeting-briefs${qs({ status: 'ready', ownerMemberId: ctx.me.kind === 'member' ? ctx.me.actorId : undefined, limit: 50 })}`);
        const now = Date.now();
        const coming = data.filter((b) => Date.parse(b.meetingStartAt) > now - BRIEF_AFTER_START_MS).sort((a, b) => Date.parse(a.meetingStartAt) - Date.parse(b.meetingStartAt));
        const key = JSON.stringify(coming.map((b) => [b.id, b.meetingStartAt, b.dueAt, b.documentId]));
        if (key === briefsShown) return;
        briefsShown = key;
        replace(briefsEl, coming.length === 0
          ? h('p', { class: 'muted' }, 'No briefs ready for your coming meetings. Each meeting gets one shortly before it starts.')
          : h('ul', { class: 'queue', 'aria-label': 'Meeting briefs ready' }, coming.map(brief)));
      } catch (err) {
        replace(briefsEl, problemBox(err));
      }
    }

    void load();
    void loadBriefs();
    ctx.every(4000, load);
    ctx.every(30_000, loadBriefs);
  },
};
