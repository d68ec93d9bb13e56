// Pieces several screens share: labelled form fields with their error slots, showing a problem next to a form,
// the running-process table, the timeline, the "log a call / note" form, and call notes' proposals in words.
import { api } from './api.js';
import { day, h, money, percent, replace, timeEl, uid, when, words } from './dom.js';

// ---------------------------------------------------------------------------------------------------------
// Forms and errors

/**
 * A labelled control with a slot for its error. kind: 'input' (default), 'textarea' or 'select' (options: [[value,
 * label]]). The control's name is the API field name, so field errors from a problem land next to it.
 */
export function field({ label, name, kind = 'input', type = 'text', value, options, hint, required, attrs = {} }) {
  const id = uid(name.replace(/\W/g, '-'));
  const hintId = hint ? `${id}-hint` : null;
  let control;
  if (kind === 'select') {
    control = h('select', { id, name, required, 'aria-describedby': hintId, ...attrs }, (options ?? []).map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
  } else if (kind === 'textarea') {
    control = h('textarea', { id, name, required, 'aria-describedby': hintId, rows: 6, ...attrs });
    control.defaultValue = value ?? '';
  } else {
    control = h('input', { id, name, type, required, 'aria-describedby': hintId, ...attrs });
    if (type === 'checkbox') control.checked = control.defaultChecked = Boolean(value);
    else if (value !== undefined && value !== null) control.value = control.defaultValue = String(value);
  }
  // The star is for the eye, outside the label; the required attribute tells assistive technology.
  const star = required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null;
  const labelEl = star ? h('span', { class: 'label-line' }, h('label', { for: id }, label), star) : h('label', { for: id }, label);
  return h('div', { class: type === 'checkbox' ? 'field field-check' : 'field' },
    type === 'checkbox' ? [control, labelEl] : [labelEl, control],
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

/** The form-level error box (role=alert), placed at the top of a form. */
export const formError = () => h('div', { class: 'form-error', role: 'alert', hidden: true });

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const describedBy = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && !x.endsWith('-error')).join(' ');
    if (describedBy) el.setAttribute('aria-describedby', describedBy);
    else el.removeAttribute('aria-describedby');
  }
  const box = form.querySelector('.form-error');
  if (box) {
    box.hidden = true;
    replace(box);
  }
}

function controlFor(form, fieldPath) {
  // "body.approvalSla.slaMinutes" → approvalSla.slaMinutes, then approvalSla; "body.emails.0" → emails.
  const parts = fieldPath.replace(/^(body|querystring|params)\.?/, '').split('.').filter(Boolean);
  while (parts.length > 0) {
    const found = form.elements.namedItem(parts.join('.'));
    if (found) return found instanceof RadioNodeList ? found[0] : found;
    parts.pop();
  }
  return null;
}

/**
 * Shows an ApiError on a form: each field error next to its field (aria-invalid, aria-describedby), and at the top a
 * summary naming the fields by their labels — or the problem's detail when no field is at fault.
 */
export function showErrors(form, err) {
  clearErrors(form);
  const box = form.querySelector('.form-error');
  const summary = [];
  let first = null;
  for (const e of err.errors ?? []) {
    const control = controlFor(form, e.field ?? '');
    const slot = control ? form.querySelector(`#${CSS.escape(control.id)}-error`) : null;
    if (!control || !slot) {
      summary.push(`${e.field}: ${e.message}`);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
    slot.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), slot.id].filter(Boolean).join(' '));
    summary.push(`${form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent ?? control.name}: ${e.message}`);
    first ??= control;
  }
  if (box) {
    const lead = err.errors?.length ? (first ? 'Please fix the highlighted fields.' : err.detail) : err.detail || err.message || 'Something went wrong.';
    replace(box,
      h('p', null, err.title && err.status && !first ? h('strong', null, `${err.title}: `) : null, lead),
      summary.length ? h('ul', null, summary.map((line) => h('li', null, line))) : null);
    box.hidden = false;
  }
  if (first) first.focus();
  else if (box) {
    box.setAttribute('tabindex', '-1');
    box.focus();
  }
}

/** A standalone error message (role=alert) for a problem outside a form. */
export const problemBox = (err) =>
  h('div', { class: 'form-error', role: 'alert' },
    h('p', null, h('strong', null, err.title && err.status ? `${err.title}: ` : ''), err.detail || err.message || 'Something went wrong.'),
    err.errors?.length ? h('ul', null, err.errors.map((e) => h('li', null, `${e.field}: ${e.message}`))) : null);

/**
 * Wires a form: on submit, disables its buttons, clears errors, runs `action(values)`; shows a problem next to the
 * fields, or calls `done(result)`. Values come from FormData: checkboxes as booleans, empty strings as null.
 */
export function onSubmit(form, action, done) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    buttons.forEach((b) => (b.disabled = true));
    form.setAttribute('aria-busy', 'true');
    clearErrors(form);
    try {
      const values = {};
      for (const el of form.elements) {
        if (!el.name || el.disabled) continue;
        if (el.type === 'checkbox') values[el.name] = el.checked;
        else if (el.type === 'radio') {
          if (el.checked) values[el.name] = el.value;
        } else values[el.name] = el.value.trim() === '' ? null : el.value;
      }
      const result = await action(values, event.submitter);
      await done?.(result, values);
    } catch (err) {
      showErrors(form, err);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

/** A button that runs an async action; while it runs it is disabled, and a failure shows beside it. */
export function actionButton(label, action, attrs = {}) {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.parentElement?.querySelector(':scope > .form-error')?.remove();
    try {
      await action();
    } catch (err) {
      const box = problemBox(err);
      button.after(box);
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  });
  return button;
}

export const intOrNull = (v) => (v === null || v === undefined || v === '' ? null : Number(v));

// ---------------------------------------------------------------------------------------------------------
// Words for codes

const refusalWords = {
  erased: 'the contact was erased (privacy request)',
  do_not_contact: 'the contact is marked "do not contact"',
  no_email: 'the contact has no email address',
  suppressed: 'their address is on the suppression list (unsubscribed, bounced or complained)',
  already_in_a_cadence: 'already in another cadence',
  cooling_down: 'was in a cadence recently (cool-down period)',
  no_lawful_basis: 'no lawful basis is recorded for contacting them',
  consent_required_in_country: 'their country requires consent for cold email',
  not_found: 'no such contact',
};
export const refusalText = (code) => refusalWords[code] ?? words(code);

const messageStatusWords = {
  draft: 'Draft',
  awaiting_approval: 'Waiting for approval',
  approved: 'Approved, about to send',
  waiting_for_capacity: 'Waiting for sending capacity',
  sending: 'Sending',
  sent: 'Sent',
  blocked: 'Blocked',
  needs_attention: 'Needs attention',
  rejected: 'Rejected (not sent)',
  expired: 'Expired (not sent)',
  skipped: 'Skipped (not sent)',
  cancelled: 'Cancelled (not sent)',
};
export const messageStatusText = (status) => messageStatusWords[status] ?? words(status);

const endReasonWords = { replied: 'they replied', meeting_booked: 'a meeting was booked', unsubscribed: 'they unsubscribed', hard_bounce: 'the email bounced', complaint: 'they complained' };
export const endReasonText = (reason) => endReasonWords[reason] ?? words(reason);

// ---------------------------------------------------------------------------------------------------------
// Processes and timeline

/** Running (and finished) processes of a contact or deal, each linked to the Temporal Web UI. */
export function processTable(processes) {
  if (!processes.length) return h('p', { class: 'muted' }, 'No processes for this record yet.');
  return h('table', null,
    h('caption', { class: 'visually-hidden' }, 'Processes'),
    h('thead', null, h('tr', null, ['Process', 'Status', 'Step', 'Waiting on', 'Next action', 'Temporal'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, processes.map((p) => h('tr', null,
      h('td', null, words(p.kind)),
      h('td', null, h('span', { class: `badge status-${p.status}` }, words(p.status))),
      h('td', null, p.step && p.step !== p.status ? words(p.step) : '—'),
      h('td', null, p.waitingOn ?? '—'),
      h('td', null, timeEl(p.nextActionAt)),
      h('td', null, h('a', { href: p.temporalUrl, target: '_blank', rel: 'noopener noreferrer', 'aria-label': `Open ${words(p.kind)} process ${p.workflowId} in the Temporal Web UI (new tab)` }, 'Open in Temporal'))))));
}

/** Timeline items, newest first. */
export function timelineList(items) {
  if (!items.length) return h('p', { class: 'muted' }, 'Nothing has happened yet.');
  return h('ol', { class: 'timeline' }, items.map((item) => h('li', { class: `tl-${item.source}` },
    h('span', { class: 'tl-when' }, timeEl(item.at)),
    h('span', { class: 'tl-what' }, item.summary))));
}

/** Enrolments turned into timeline items (the cadence's start and end), to merge with the API's timeline. */
export function enrolmentItems(enrolments, playbookName) {
  const items = [];
  for (const e of enrolments) {
    const name = playbookName(e);
    items.push({ at: e.startedAt, source: 'cadence', kind: 'cadence.started', id: `${e.id}:start`, summary: `Cadence started: ${name}` });
    if (e.endedAt) {
      items.push({ at: e.endedAt, source: 'cadence', kind: `cadence.${e.status}`, id: `${e.id}:end`, summary: e.status === 'stopped' ? `Cadence stopped: ${name} — ${endReasonText(e.endReason)}` : `Cadence ${words(e.status)}: ${name}` });
    }
  }
  return items;
}

/** The playbook key from a follow-up workflow id (follow-up:<org>:<contact>:<key>). */
export const playbookKeyOf = (workflowId) => /^follow-up:[^:]+:[^:]+:(.+)$/.exec(workflowId ?? '')?.[1] ?? null;

// ---------------------------------------------------------------------------------------------------------
// Log a call or note

/** "Log a call / note" for a contact and/or deal; `done()` after it was saved. */
export function logActivityForm({ contactId = null, dealId = null, accountId = null, me, done }) {
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const kindName = uid('kind');
  const form = h('form', { class: 'stack', 'aria-label': 'Log a call or note' },
    formError(),
    h('fieldset', { class: 'inline' },
      h('legend', null, 'What'),
      h('label', null, h('input', { type: 'radio', name: 'kind', value: 'call', checked: true, id: `${kindName}-call` }), ' Call'),
      h('label', null, h('input', { type: 'radio', name: 'kind', value: 'note', id: `${kindName}-note` }), ' Note')),
    field({ label: 'Direction of the call', name: 'direction', kind: 'select', value: 'outbound', options: [['outbound', 'I called them'], ['inbound', 'They called me']], hint: 'Notes are internal.' }),
    field({ label: 'Summary', name: 'subject', attrs: { maxlength: 1000 } }),
    field({ label: 'Notes', name: 'body', kind: 'textarea', attrs: { rows: 4 } }),
    field({ label: 'When', name: 'occurredAt', type: 'datetime-local', value: now, required: true }),
    h('button', { type: 'submit', class: 'primary' }, 'Save to the timeline'));
  const direction = form.elements.namedItem('direction');
  form.addEventListener('change', () => {
    direction.disabled = form.elements.namedItem('kind').value === 'note';
  });
  return onSubmit(form, (v) => {
    const occurredAt = v.occurredAt ? new Date(v.occurredAt) : new Date();
    return api('/v1/activities', {
      method: 'POST',
      body: {
        kind: v.kind,
        direction: v.kind === 'note' ? 'internal' : v.direction,
        occurredAt: Number.isNaN(occurredAt.getTime()) ? v.occurredAt : occurredAt.toISOString(),
        subject: v.subject,
        body: v.body,
        contactId,
        dealId,
        accountId,
        loggedByMemberId: me.kind === 'member' ? me.actorId : null,
      },
    });
  }, async (activity) => {
    form.reset();
    form.elements.namedItem('occurredAt').value = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    direction.disabled = false;
    await done?.(activity);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Call notes

/** What a call note proposed, in words: "Stage: discovery → proposal", "Task: Send the proposal due 27 Nov 2026". */
export function proposalText(p) {
  const a = p.after ?? {};
  const b = p.before ?? {};
  switch (p.kind) {
    case 'summary':
      return `Summary on the call record: ${a.text}`;
    case 'next_step':
      return `Task: ${a.title}${a.dueDate ? ` due ${day(a.dueDate)}` : ''}`;
    case 'callback':
      return a.at ? `Call back ${when(a.at)} (“${a.when}”)` : `Call back, time to confirm: “${a.when}”`;
    case 'meeting':
      return a.startAt ? `Meeting: ${a.title}, ${when(a.startAt)}` : `Task: schedule the ${String(a.title).toLowerCase()} (“${a.when}” names no exact time)`;
    case 'contact_new': {
      const about = [a.title, a.role ? words(a.role) : null].filter(Boolean).join(', ');
      return `New contact: ${a.name}${about ? ` (${about})` : ''}`;
    }
    case 'stakeholder_role':
      return `Role on the deal: ${a.name} as ${words(a.role)}`;
    case 'deal_stage':
      return `Stage: ${b.stage ? words(b.stage) : 'none'} → ${words(a.stage)}`;
    case 'deal_amount':
      return `Amount: ${money(b.amountMinor, b.currency)} → ${money(a.amountMinor, a.currency)}`;
    case 'deal_close_date':
      return `Close date: ${b.closeDate ? day(b.closeDate) : 'none'} → ${day(a.closeDate)}`;
    case 'objection':
      return `Objection: ${a.text}`;
    case 'competitor':
      return `Competitor: ${a.name}`;
    case 'pain':
      return `Pain: ${a.text}`;
    case 'qualification':
      return `Qualification (${words(a.field)}): ${a.value}`;
    case 'commitment':
      return `Commitment: ${a.text}`;
    case 'risk':
      return `Risk (${words(a.kind)}): ${a.text}`;
    default:
      return words(p.kind);
  }
}

/** The words of the notes a proposal rests on, as a quotation, with how sure the extractor was. */
export const proposalQuote = (p) =>
  h('figure', { class: 'quote' },
    h('blockquote', null, h('p', null, p.quote)),
    h('figcaption', { class: 'muted' }, `From the notes · confidence ${percent(p.confidence)}`));

const callNoteStatusWords = { received: 'Received', extracting: 'Being read', proposed: 'Proposals ready', completed: 'Done', failed: 'Failed' };
export const callNoteStatusText = (status) => callNoteStatusWords[status] ?? words(status);

/** Who read a call note, in a few words: the offline rules say so plainly. */
export const extractorText = (note) => (note.extractor === 'offline' ? 'Offline rules (no AI)' : note.extractor === 'openai' ? `AI${note.model ? ` (${note.model})` : ''}` : '—');

export const callNoteTitle = (note) => note.title ?? `Call of ${when(note.occurredAt)}`;

/** Call notes, newest first, each linked to its page; `dealName(id)` adds a deal column. */
export function callNoteList(notes, dealName = null) {
  if (!notes.length) return h('p', { class: 'muted' }, 'No call notes yet.');
  return h('table', null,
    h('caption', { class: 'visually-hidden' }, 'Call notes'),
    h('thead', null, h('tr', null, ['Call', 'When', dealName ? 'Deal' : null, 'Status', 'Read by'].filter(Boolean).map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, notes.map((n) => h('tr', null,
      h('td', null, h('a', { href: `#/call-notes/${n.id}` }, callNoteTitle(n))),
      h('td', null, timeEl(n.occurredAt)),
      dealName ? h('td', null, n.dealId ? h('a', { href: `#/deals/${n.dealId}` }, dealName(n.dealId) ?? 'Deal') : '—') : null,
      h('td', null, h('span', { class: `badge status-${n.status}` }, callNoteStatusText(n.status))),
      h('td', null, extractorText(n))))));
}

/** A definition list from [term, value] pairs (values may be elements). */
export const facts = (pairs) => h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([term, value]) => [h('dt', null, term), h('dd', null, value ?? '—')]));

/** A section with a heading, for screens with several parts. */
export function section(title, ...children) {
  const id = uid('sec');
  return h('section', { 'aria-labelledby': id, class: 'panel' }, h('h2', { id }, title), ...children);
}

export { when, replace };
