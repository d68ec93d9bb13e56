// The approvals inbox: pending drafts and CRM changes proposed from call notes, most urgent first. A draft comes with
// what it takes to decide it (the contact, the thread, who drafted it and why it needs a person): approve, edit and
// approve, reject, or ask for a new draft. A proposed change comes with its words and the quote it rests on: approve
// or reject. By button or by single-key shortcuts, which are off while typing in a field.
import { api, qs } from './api.js';
import { append, h, isTyping, relative, replace, timeEl } from './dom.js';
import { callNoteTitle, facts, field, formError, problemBox, proposalQuote, proposalText, showErrors, clearErrors } from './parts.js';

const shortcuts = [
  ['j', 'next approval'],
  ['k', 'previous approval'],
  ['a', 'approve as drafted'],
  ['e', 'edit the draft (emails)'],
  ['Ctrl+Enter', 'in the draft: approve with your edits'],
  ['r', 'reject'],
  ['g', 'regenerate with instructions (emails)'],
  ['Esc', 'leave the field (shortcuts work again)'],
];

export const approvalsScreen = {
  title: 'Approvals',
  mount(ctx) {
    const details = new Map();
    let pending = [];
    let selectedId = ctx.params.id ?? null;
    let listKey = '';
    let detailApi = null;

    const flash = h('div', { class: 'flash', role: 'status' });
    const listEl = h('div', { class: 'approval-list' }, h('p', { class: 'muted' }, 'Loading…'));
    const detailEl = h('section', { class: 'approval-detail', 'aria-label': 'Selected approval' });
    append(ctx.root, 
      h('h1', { tabindex: '-1' }, 'Approvals inbox'),
      h('p', { class: 'lede' }, 'Drafts waiting for a person before they go out, and changes to the CRM proposed from call notes. Read, edit a draft if needed, decide.'),
      h('aside', { class: 'shortcuts', 'aria-label': 'Keyboard shortcuts' },
        h('h2', null, 'Keyboard'),
        h('ul', null, shortcuts.map(([key, what]) => h('li', null, h('kbd', null, key), ` ${what}`)))),
      flash,
      h('div', { class: 'split' }, h('nav', { 'aria-label': 'Pending approvals' }, listEl), detailEl));

    const contactName = (d) => d?.contact?.name ?? d?.message?.toAddress ?? 'a contact';
    // Call notes (with their deal) by id: the proposals of one call share them.
    const callNotes = new Map();

    /** A proposed CRM change: the proposal, the call note it came from and the note's deal. */
    async function proposalDetail(approval) {
      const proposal = await api(`/v1/call-note-proposals/${approval.proposalId}`);
      if (!callNotes.has(proposal.callNoteId)) {
        callNotes.set(proposal.callNoteId, (async () => {
          const note = await api(`/v1/call-notes/${proposal.callNoteId}`);
          const deal = note.dealId ? await api(`/v1/deals/${note.dealId}`).catch(() => null) : null;
          return { note, deal };
        })().catch((err) => {
          callNotes.delete(proposal.callNoteId);
          throw err;
        }));
      }
      return { kind: 'proposal', approval, proposal, ...(await callNotes.get(proposal.callNoteId)) };
    }

    /** What it takes to decide an approval (a row of the list): an email's detail, or a proposed change's. */
    async function detailOf(approval) {
      if (!details.has(approval.id)) details.set(approval.id, approval.proposalId ? await proposalDetail(approval) : await api(`/v1/approvals/${approval.id}/detail`));
      return details.get(approval.id);
    }

    async function loadList() {
      const { data } = await api(`/v1/approvals${qs({ status: 'pending', limit: 200 })}`);
      data.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
      // The list endpoint has no subject, contact or change: the details fill them in, a few at a time.
      const missing = data.filter((a) => !details.has(a.id));
      for (let i = 0; i < missing.length; i += 6) await Promise.all(missing.slice(i, i + 6).map((a) => detailOf(a).catch(() => null)));
      pending = data;
      drawList();
    }

    function drawList() {
      const key = JSON.stringify([pending.map((a) => [a.id, a.dueAt, a.escalated]), selectedId]);
      if (key === listKey) return;
      listKey = key;
      if (pending.length === 0) {
        replace(listEl, h('p', null, 'Nothing is waiting for approval.'));
        return;
      }
      const now = Date.now();
      replace(listEl,
        h('p', { class: 'muted' }, `${pending.length} waiting`),
        h('ol', { class: 'pick-list' }, pending.map((a) => {
          const d = details.get(a.id);
          const overdue = Date.parse(a.dueAt) < now;
          const change = a.proposalId;
          return h('li', null, h('a', { href: `#/approvals/${a.id}`, 'data-key': `ap-${a.id}`, 'aria-current': a.id === selectedId ? 'true' : null },
            h('span', { class: 'pick-title' }, change ? (d ? proposalText(d.proposal) : 'Proposed change') : d?.message.subject ?? '(no subject)'),
            h('span', { class: 'pick-sub' }, change ? (d?.deal?.name ?? 'From call notes') : contactName(d), ' · ', overdue ? h('strong', { class: 'overdue-text' }, `overdue, was due ${relative(a.dueAt)}`) : `due ${relative(a.dueAt)}`,
              a.escalated ? h('span', { class: 'badge' }, 'escalated') : null)));
        })));
    }

    function select(id, { replaceUrl = true } = {}) {
      if (!id) return;
      if (replaceUrl) location.replace(`#/approvals/${id}`);
      else void show(id);
    }

    function neighbour(step) {
      if (pending.length === 0) return null;
      const index = pending.findIndex((a) => a.id === selectedId);
      const next = index === -1 ? 0 : Math.min(pending.length - 1, Math.max(0, index + step));
      return pending[next]?.id ?? null;
    }

    async function show(id) {
      selectedId = id;
      drawList();
      detailApi = null;
      if (!id) {
        replace(detailEl, h('p', { class: 'muted' }, pending.length ? 'Pick an approval from the list (or press j).' : ''));
        return;
      }
      replace(detailEl, h('p', { class: 'muted' }, 'Loading…'));
      let d;
      try {
        details.delete(id); // always decide on the latest draft
        // An email's detail carries its approval; a proposed change is decided on the approval as it is now.
        const listed = pending.find((a) => a.id === id);
        d = await detailOf(listed?.messageId ? listed : await api(`/v1/approvals/${id}`));
      } catch (err) {
        replace(detailEl, problemBox(err));
        return;
      }
      if (selectedId !== id) return;
      if (d.kind === 'proposal') drawProposal(d);
      else drawDetail(d);
    }

    /** After a decision: the approval leaves the list and the next one takes its place (or a way back). */
    function moveOn(approvalId) {
      const next = neighbour(1) === approvalId ? neighbour(-1) : neighbour(1);
      pending = pending.filter((a) => a.id !== approvalId);
      details.delete(approvalId);
      drawList();
      if (next && next !== approvalId) select(next);
      else {
        selectedId = null;
        replace(detailEl, h('p', null, 'That was the last one. ', h('a', { href: '#/now' }, 'Back to What to do now')));
        drawList();
      }
    }

    function drawProposal(d) {
      const { approval, proposal, note, deal } = d;
      const isPending = approval.status === 'pending' && proposal.status === 'pending';
      const overdue = Date.parse(approval.dueAt) < Date.now();
      const change = proposalText(proposal);
      const form = h('form', { class: 'stack', 'aria-label': 'Proposed change', novalidate: true }, formError());
      form.addEventListener('submit', (event) => event.preventDefault());
      const approveButton = h('button', { type: 'button', class: 'primary', 'aria-keyshortcuts': 'a', onClick: () => approve() }, 'Approve');
      const rejectButton = h('button', { type: 'button', class: 'danger', 'aria-keyshortcuts': 'r', onClick: () => askReject() }, 'Reject…');
      const confirmReject = h('div', { class: 'confirm', hidden: true, role: 'group', 'aria-label': 'Confirm rejection' },
        h('p', null, 'Reject this change? The CRM stays as it is.'),
        h('button', { type: 'button', class: 'danger', onClick: () => void decide('reject', 'Rejected: the CRM stays as it is') }, 'Yes, reject'),
        h('button', { type: 'button', onClick: () => { confirmReject.hidden = true; rejectButton.focus(); } }, 'Keep it'));

      const approve = () => void decide('approve', 'Approved: the change is being applied');
      function askReject() {
        confirmReject.hidden = false;
        confirmReject.querySelector('button').focus();
      }

      let deciding = false;
      async function decide(decision, said) {
        if (deciding) return;
        deciding = true;
        clearErrors(form);
        detailEl.setAttribute('aria-busy', 'true');
        try {
          await api(`/v1/approvals/${approval.id}/decision`, { method: 'POST', body: { decision } });
          flash.replaceChildren(h('p', null, `${said}. ${change}${deal ? ` (${deal.name})` : ''}.`));
          moveOn(approval.id);
        } catch (err) {
          confirmReject.hidden = true;
          showErrors(form, err);
          if (err.status === 409) void loadList().catch(() => undefined);
        } finally {
          deciding = false;
          detailEl.removeAttribute('aria-busy');
        }
      }

      const headingId = `approval-${approval.id}`;
      replace(detailEl,
        h('h2', { id: headingId, tabindex: '-1' }, 'Change proposed from call notes'),
        !isPending ? h('p', { class: 'notice' }, `This change is ${approval.status === 'pending' ? proposal.status : approval.status}: there is nothing to decide.`) : null,
        h('p', { class: 'proposal-change' }, change),
        proposalQuote(proposal),
        facts([
          ['Deal', deal ? h('a', { href: `#/deals/${deal.id}` }, deal.name) : '—'],
          ['From', h('a', { href: `#/call-notes/${note.id}` }, callNoteTitle(note))],
          ['Read by', note.extractorLabel ?? note.extractor ?? '—'],
          ['Why it needs you', 'Changes to a deal and to the people we write to are confirmed by a person before they apply.'],
          ['Due', [timeEl(approval.dueAt), overdue && isPending ? h('strong', { class: 'overdue-text' }, ' — overdue') : null, isPending ? h('span', { class: 'muted' }, ' (after that it expires unapplied)') : null]],
        ]),
        form,
        isPending ? h('div', { class: 'actions', role: 'group', 'aria-label': 'Decision' }, approveButton, rejectButton) : null,
        confirmReject);
      detailApi = isPending ? { approve, reject: askReject } : null;
      const active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) detailEl.querySelector('h2')?.focus();
    }

    function drawDetail(d) {
      const { approval, message, contact, thread } = d;
      const isPending = approval.status === 'pending';
      const overdue = Date.parse(approval.dueAt) < Date.now();
      const form = h('form', { class: 'stack', 'aria-label': 'Draft', novalidate: true }, formError(),
        field({ label: 'Subject', name: 'subject', value: message.subject ?? '', attrs: { maxlength: 300, readonly: !isPending } }),
        field({ label: 'Body', name: 'bodyText', kind: 'textarea', value: message.bodyText ?? '', attrs: { rows: 12, readonly: !isPending } }));
      const subject = form.elements.namedItem('subject');
      const body = form.elements.namedItem('bodyText');
      const edited = () => subject.value !== (message.subject ?? '') || body.value !== (message.bodyText ?? '');
      const editNote = h('p', { class: 'hint', 'aria-live': 'polite' });
      const onEdit = () => {
        editNote.textContent = edited() ? 'You changed the draft: "Approve with edits" sends your version.' : '';
      };
      form.addEventListener('input', onEdit);

      const confirmReject = h('div', { class: 'confirm', hidden: true, role: 'group', 'aria-label': 'Confirm rejection' },
        h('p', null, 'Reject this draft? Nothing will be sent, and the cadence moves on.'),
        h('button', { type: 'button', class: 'danger', onClick: () => void decide({ decision: 'reject' }, 'Rejected: nothing was sent') }, 'Yes, reject'),
        h('button', { type: 'button', onClick: () => { confirmReject.hidden = true; rejectButton.focus(); } }, 'Keep it'));
      const regenerate = h('form', { class: 'stack confirm', hidden: true, 'aria-label': 'Regenerate the draft', novalidate: true }, formError(),
        field({ label: 'Instructions for the new draft', name: 'instructions', kind: 'textarea', required: true, attrs: { rows: 3, maxlength: 2000 }, hint: 'e.g. "Shorter, and mention the pilot we discussed".' }),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'primary' }, 'Ask for a new draft'),
          h('button', { type: 'button', onClick: () => { regenerate.hidden = true; regenerateButton.focus(); } }, 'Cancel')));
      regenerate.addEventListener('submit', (event) => {
        event.preventDefault();
        const instructions = regenerate.elements.namedItem('instructions').value.trim();
        if (!instructions) {
          showErrors(regenerate, { detail: 'Say what the new draft should change.', errors: [{ field: 'body.instructions', message: 'Write an instruction' }] });
          return;
        }
        void decide({ decision: 'regenerate', instructions }, 'Asked for a new draft: it appears here when it is ready', regenerate);
      });

      const approveButton = h('button', { type: 'button', class: 'primary', 'aria-keyshortcuts': 'a', onClick: () => approve() }, 'Approve');
      const editsButton = h('button', { type: 'button', class: 'primary', 'aria-keyshortcuts': 'Control+Enter', onClick: () => approveWithEdits() }, 'Approve with edits');
      const undoButton = h('button', { type: 'button', onClick: () => { subject.value = message.subject ?? ''; body.value = message.bodyText ?? ''; onEdit(); subject.focus(); } }, 'Undo edits');
      const rejectButton = h('button', { type: 'button', class: 'danger', 'aria-keyshortcuts': 'r', onClick: () => askReject() }, 'Reject…');
      const regenerateButton = h('button', { type: 'button', 'aria-keyshortcuts': 'g', onClick: () => askRegenerate() }, 'Regenerate…');

      function approve() {
        if (edited()) {
          showErrors(form, { detail: 'You changed the draft. Use "Approve with edits" to send your version, or "Undo edits" to approve it as drafted.' });
          return;
        }
        void decide({ decision: 'approve' }, 'Approved: it goes out as soon as the mailbox has capacity');
      }
      function approveWithEdits() {
        if (!edited()) {
          showErrors(form, { detail: 'Nothing was changed: use "Approve" to send the draft as it is.' });
          return;
        }
        const errors = [];
        if (!subject.value.trim()) errors.push({ field: 'body.subject', message: 'The subject cannot be empty' });
        if (!body.value.trim()) errors.push({ field: 'body.bodyText', message: 'The body cannot be empty' });
        if (errors.length) {
          showErrors(form, { detail: 'The email needs a subject and a body.', errors });
          return;
        }
        void decide({ decision: 'approve_with_edits', subject: subject.value, bodyText: body.value }, 'Approved with your edits: it goes out as soon as the mailbox has capacity');
      }
      function askReject() {
        regenerate.hidden = true;
        confirmReject.hidden = false;
        confirmReject.querySelector('button').focus();
      }
      function askRegenerate() {
        confirmReject.hidden = true;
        regenerate.hidden = false;
        regenerate.elements.namedItem('instructions').focus();
      }

      let deciding = false;
      async function decide(body, said, errorForm = form) {
        if (deciding) return;
        deciding = true;
        clearErrors(errorForm);
        detailEl.setAttribute('aria-busy', 'true');
        try {
          await api(`/v1/approvals/${approval.id}/decision`, { method: 'POST', body });
          const subjectLine = body.subject ?? message.subject ?? '(no subject)';
          flash.replaceChildren(h('p', null, `${said}. “${subjectLine}” to ${contactName(d)}.`));
          moveOn(approval.id);
        } catch (err) {
          confirmReject.hidden = true;
          showErrors(errorForm, err);
          if (err.status === 409) void loadList().catch(() => undefined);
        } finally {
          deciding = false;
          detailEl.removeAttribute('aria-busy');
        }
      }

      form.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          if (edited()) approveWithEdits();
          else approve();
        }
      });

      const headingId = `approval-${approval.id}`;
      replace(detailEl,
        h('h2', { id: headingId, tabindex: '-1' }, `Email to ${contactName(d)}`),
        !isPending ? h('p', { class: 'notice' }, `This approval is ${approval.status}: there is nothing to decide.`) : null,
        facts([
          ['To', message.toAddress ?? '—'],
          ['Contact', contact ? [h('a', { href: `#/contacts/${contact.id}` }, contact.name ?? 'Unnamed contact'), [contact.title, contact.accountName].filter(Boolean).length ? ` — ${[contact.title, contact.accountName].filter(Boolean).join(', ')}` : ''] : '—'],
          ['Drafted by', message.draftedBy ?? (message.origin === 'ai' ? 'AI' : 'Playbook template')],
          ['Why it needs you', message.why],
          ['Due', [timeEl(approval.dueAt), overdue && isPending ? h('strong', { class: 'overdue-text' }, ' — overdue') : null]],
          approval.escalated ? ['Escalated', 'Yes: not decided in time, managers decide now'] : null,
          ['Step', message.stepKey],
        ]),
        form,
        isPending ? h('div', { class: 'actions', role: 'group', 'aria-label': 'Decision' }, approveButton, editsButton, undoButton, rejectButton, regenerateButton) : null,
        editNote,
        confirmReject,
        regenerate,
        h('section', { 'aria-labelledby': `${headingId}-thread` },
          h('h3', { id: `${headingId}-thread` }, 'Thread so far'),
          thread.length === 0
            ? h('p', { class: 'muted' }, 'No emails with this contact yet: this is the first.')
            : h('ol', { class: 'thread' }, thread.map((m) => h('li', { class: m.direction === 'inbound' ? 'from-them' : 'to-them' },
                h('p', { class: 'muted' }, m.direction === 'inbound' ? 'From them' : 'To them', ' · ', timeEl(m.at)),
                h('p', null, h('strong', null, m.subject ?? '(no subject)')),
                m.body ? h('pre', { class: 'email-body' }, m.body) : null)))));
      detailApi = isPending ? { approve, editStart: () => subject.focus(), reject: askReject, regenerate: askRegenerate } : null;
      // After a decision the focused button is gone: start the next draft at its heading.
      const active = document.activeElement;
      if (!active || active === document.body || !active.isConnected) detailEl.querySelector('h2')?.focus();
    }

    const onKey = (event) => {
      if (event.key === 'Escape' && isTyping(event.target)) {
        event.target.blur();
        return;
      }
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const actions = {
        j: () => select(neighbour(1)),
        k: () => select(neighbour(-1)),
        a: () => detailApi?.approve(),
        e: () => detailApi?.editStart?.(),
        r: () => detailApi?.reject(),
        g: () => detailApi?.regenerate?.(),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

    void (async () => {
      try {
        await loadList();
      } catch (err) {
        replace(listEl, problemBox(err));
      }
      if (selectedId) await show(selectedId);
      else if (pending[0]) select(pending[0].id);
      else await show(null);
    })();
    ctx.every(15_000, async () => {
      await loadList();
    });

    return {
      update(params) {
        if (params.id && params.id !== selectedId) void show(params.id);
        else if (!params.id && pending[0]) select(pending[0].id);
      },
    };
  },
};
